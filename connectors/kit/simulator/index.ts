export { SimulatorServer, type SimulatorHandle, type SimulatorServerOptions } from './simulator-server.js';
export {
  FaultInjector,
  DEFAULT_FAULTS,
  type FaultSettings,
  type FaultStats,
  type FaultResponders,
} from './fault-injector.js';
export { documentedRateLimit } from './documented-rate-limit.js';
export { TokenStore, type TokenCheck } from './token-store.js';
export { ExchangeRecorder, type Exchange } from './exchange-recorder.js';
export {
  generateOrg,
  type GeneratedOrg,
  type GeneratedPerson,
  type GeneratedDepartment,
  type GenerateOrgOptions,
} from './generate-org.js';
export { SeededRandom } from './seeded-random.js';
