import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { runCli } from '../harness/cli.js';

/** Bad configuration must stop the process with a non-zero exit and one line that names the variable. */
describe('junction with bad configuration', () => {
  let db: TestDatabase;
  const key = randomBytes(32).toString('base64');

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  function expectOneLine(stderr: string, pattern: RegExp): void {
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  }

  it('malformed DATABASE_URL', async () => {
    const result = await runCli(['gateway'], {
      DATABASE_URL: 'not a url',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
    });
    expect(result.code).not.toBe(0);
    expectOneLine(result.stderr, /^junction: DATABASE_URL: must be a postgres/);
  });

  it('unreachable DATABASE_URL', async () => {
    const result = await runCli(['worker'], {
      DATABASE_URL: 'postgres://junction:x@127.0.0.1:1/junction',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      JUNCTION_MASTER_KEY: key,
    });
    expect(result.code).not.toBe(0);
    expectOneLine(result.stderr, /^junction: DATABASE_URL: nothing is listening/);
  });

  it('a master key of the wrong length', async () => {
    const result = await runCli(['gateway'], {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      JUNCTION_MASTER_KEY: randomBytes(16).toString('base64'),
    });
    expect(result.code).not.toBe(0);
    expectOneLine(result.stderr, /^junction: JUNCTION_MASTER_KEY: must be 32 bytes/);
  });

  it('a Temporal address that refuses', async () => {
    const result = await runCli(['gateway'], {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      JUNCTION_MASTER_KEY: key,
      PORT: '0',
    });
    expect(result.code).not.toBe(0);
    expectOneLine(result.stderr, /^junction: TEMPORAL_ADDRESS: cannot reach Temporal at 127\.0\.0\.1:1/);
  });

  it('doctor names what is wrong and how to fix it', async () => {
    const result = await runCli(['doctor'], {
      DATABASE_URL: 'postgres://junction:x@127.0.0.1:1/junction',
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      JUNCTION_MASTER_KEY: key,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL\s+database\s+DATABASE_URL: nothing is listening/);
    expect(result.stdout).toMatch(/FAIL\s+temporal\s+TEMPORAL_ADDRESS: cannot reach Temporal/);
    expect(result.stdout).toMatch(/ok\s+master key/);
  });
});
