import { randomBytes } from 'node:crypto';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.temporal.namespace).toBe('default');
    expect(config.temporal.taskQueue).toBe('junction');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('.data');
  });

  it('names DATABASE_URL when it is not a postgres URL', () => {
    const error = errorOf({ DATABASE_URL: 'mysql://x/y' });
    expect(error.variable).toBe('DATABASE_URL');
    expect(error.publicMessage).toMatch(/^DATABASE_URL: must be a postgres/);
  });

  it('names JUNCTION_MASTER_KEY when the key is the wrong length', () => {
    const error = errorOf({ JUNCTION_MASTER_KEY: randomBytes(16).toString('base64') });
    expect(error.publicMessage).toBe('JUNCTION_MASTER_KEY: must be 32 bytes, base64 or hex encoded');
  });

  it('accepts 32-byte keys in base64 and hex', () => {
    const key = randomBytes(32);
    expect(loadConfig({ JUNCTION_MASTER_KEY: key.toString('base64') }).masterKey?.equals(key)).toBe(true);
    expect(loadConfig({ JUNCTION_MASTER_KEY: key.toString('hex') }).masterKey?.equals(key)).toBe(true);
  });

  it('names TEMPORAL_ADDRESS and PORT when malformed', () => {
    expect(errorOf({ TEMPORAL_ADDRESS: 'not an address' }).variable).toBe('TEMPORAL_ADDRESS');
    expect(errorOf({ PORT: 'eighty' }).variable).toBe('PORT');
    expect(errorOf({ LOG_LEVEL: 'loud' }).variable).toBe('LOG_LEVEL');
  });

  it('seeds the demo by default, its simulators from port 7400, and names a bad base port', () => {
    expect(loadConfig({}).embedded).toMatchObject({ seedDemo: true, demoSimulatorBasePort: 7400 });
    expect(loadConfig({ JUNCTION_SEED_DEMO: 'false' }).embedded.seedDemo).toBe(false);
    expect(loadConfig({ JUNCTION_DEMO_SIMULATOR_BASE_PORT: '9100' }).embedded.demoSimulatorBasePort).toBe(
      9100,
    );
    expect(errorOf({ JUNCTION_DEMO_SIMULATOR_BASE_PORT: '80' }).variable).toBe(
      'JUNCTION_DEMO_SIMULATOR_BASE_PORT',
    );
    expect(errorOf({ JUNCTION_SEED_DEMO: 'yes' }).variable).toBe('JUNCTION_SEED_DEMO');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });
});
