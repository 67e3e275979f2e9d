import type { RunningSimulator, SimulatorStartOptions } from '../simulators.js';
import { DOCUMENTED_FREQUENCY_LIMITS } from './sim/frequency-limit.js';
import { DEFAULT_CORP_ID, DEFAULT_SECRET, WeComSimulator } from './simulator.js';

/** `junction simulate wecom`: the WeCom contacts API seeded with a generated organisation. */
export async function startWeComSimulator(options: SimulatorStartOptions): Promise<RunningSimulator> {
  const simulator = new WeComSimulator({
    people: options.people,
    seed: options.seed,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const handle = await simulator.start(options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url: handle.url,
    faults: simulator.faults,
    connectionConfig: { corpId: DEFAULT_CORP_ID, corpSecret: DEFAULT_SECRET, baseUrl: handle.url },
    notes: [
      `corp ${DEFAULT_CORP_ID}: ${simulator.members.size.toLocaleString('en')} members in ${simulator.tree.size.toLocaleString('en')} departments; Contacts Sync secret ${DEFAULT_SECRET}`,
      `API: ${handle.url}/cgi-bin/gettoken?corpid=${DEFAULT_CORP_ID}&corpsecret=${DEFAULT_SECRET}, then /cgi-bin/user/…, /cgi-bin/department/… with ?access_token=`,
      `limits as documented: ${DOCUMENTED_FREQUENCY_LIMITS.perMinute.toLocaleString('en')} calls a minute and ${DOCUMENTED_FREQUENCY_LIMITS.perHour.toLocaleString('en')} an hour per API (errcode 45009); state at ${handle.url}/_sim/stats`,
    ],
    stop: handle.stop,
  };
}
