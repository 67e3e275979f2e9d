import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readServices } from '../harness/services.js';
import { seedTenantObjects } from './api-fixtures.js';
import {
  createAdminToken,
  seedTenantFamily,
  startApiTestGateway,
  type ApiTestContext,
} from './api-harness.js';

/**
 * Property-based fuzzing of the admin API from its own OpenAPI document with schemathesis (PyPI; `.ci/run` installs
 * it): positive and negative inputs for every operation, as a group admin, asserting no response is a 5xx. The
 * gateway runs with response checking on, so a response that drifts from its documented schema is a 500 too.
 * FUZZ_MAX_EXAMPLES (default 20) sets the examples per operation.
 */
describe('admin API under schemathesis', () => {
  let ctx: ApiTestContext;
  let token: string;

  beforeAll(async () => {
    ctx = await startApiTestGateway();
    const family = await seedTenantFamily(ctx.db.dataSource);
    await seedTenantObjects(ctx.db.dataSource, family.subA.id, 'a');
    await seedTenantObjects(ctx.db.dataSource, family.subB.id, 'b');
    token = await createAdminToken(ctx.db.dataSource, family.group.id, 'group_admin');
  });

  afterAll(async () => {
    await ctx.close();
  });

  const fuzz = async (bearer: string, filter: string[], report: string) => {
    const reportDir = join(readServices().artifactsDir, 'schemathesis', report);
    const args = [
      'run',
      `${ctx.gateway.url}/api/v1/openapi.json`,
      '--url',
      `${ctx.gateway.url}/api/v1`,
      '--header',
      `Authorization: Bearer ${bearer}`,
      '--checks',
      'not_a_server_error',
      '--phases',
      'examples,coverage,fuzzing',
      '--max-examples',
      process.env.FUZZ_MAX_EXAMPLES ?? '20',
      '--workers',
      '2',
      '--seed',
      '20261125',
      '--generation-database',
      'none',
      '--suppress-health-check',
      'all',
      '--request-timeout',
      '30',
      '--no-color',
      '--report',
      'junit',
      '--report-dir',
      reportDir,
      ...filter,
    ];
    mkdirSync(reportDir, { recursive: true });
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      // cwd: schemathesis keeps a .schemathesis/ folder where it runs; keep it with the reports.
      const child = spawn('schemathesis', args, {
        cwd: reportDir,
        env: { ...process.env, PYTHONUNBUFFERED: '1' },
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('error', (error) =>
        reject(
          new Error(
            `schemathesis could not start (${error.message}); install it: pip install schemathesis==4.32.5`,
          ),
        ),
      );
      child.on('exit', (exitCode) => resolve({ code: exitCode, output: text }));
    });
    writeFileSync(join(reportDir, 'output.txt'), output);
    process.stdout.write(`${output.split('\n').slice(-30).join('\n')}\n`);
    // Every operation must have been tested with a working token (a revoked one would only ever see 401s).
    expect(output).not.toMatch(/Authentication failed/);
    expect({ code, tail: code === 0 ? '' : output.slice(-6000) }).toEqual({ code: 0, tail: '' });
  };

  it('serves an OpenAPI document that validates against the OpenAPI 3.1 specification', async () => {
    const dir = join(readServices().artifactsDir, 'schemathesis');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'openapi.json');
    writeFileSync(file, await (await fetch(`${ctx.gateway.url}/api/v1/openapi.json`)).text());
    // openapi-spec-validator (PyPI, installed by .ci/run) checks the document against the 3.1 schema.
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn('python3', ['-m', 'openapi_spec_validator', file]);
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (exitCode) => resolve({ code: exitCode, output: text }));
    });
    expect({ code, output: code === 0 ? '' : output.slice(-3000) }).toEqual({ code: 0, output: '' });
  });

  it('finds no server error in any operation', async () => {
    // Revoking tokens is fuzzed on its own at the end: it would otherwise find and revoke the fuzzer's own token.
    await fuzz(token, ['--exclude-operation-id', 'revokeApiToken'], 'all-operations');
  }, 1_800_000);

  it('finds no server error when revoking tokens', async () => {
    await fuzz(token, ['--include-operation-id', 'revokeApiToken'], 'revoke-token');
  }, 600_000);
});
