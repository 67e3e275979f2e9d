import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiToken } from '../core/entities/index.js';
import { Vault } from '../core/vault/vault.js';
import { mintToken } from '../gateway/api/auth/token-secret.js';
import { startGateway } from '../gateway/server.js';
import { startDevTemporal } from '../bin/embedded/temporal.js';
import { freePort } from '../bin/runtime/free-port.js';
import type { Logger } from '../core/logger.js';
import { requestRuleEvaluation } from '../workers/role-rules-client.js';
import type { RuleEvaluationOutcome } from '../workers/role-rules-contract.js';
import { installTemporalRuntime } from '../workers/temporal-runtime.js';
import { createJunctionWorker } from '../workers/worker.js';
import { machineLoad } from './process-cpu.js';
import { round } from './rules.js';

/**
 * The same re-evaluation as the Temporal workflow a rule change starts (worker in this process, dev server): what
 * the API request now waits for (`rules.request`, the signal-with-start) and how long the tenant takes to settle
 * (`rules.workflow`); then a burst of three edits while it runs (`rules.burst`: how many passes they cost).
 */
export async function runRulesWorkflowBench(input: {
  ds: DataSource;
  tenantId: string;
  roleId: string;
  n: number;
  log: Logger;
}): Promise<void> {
  installTemporalRuntime(input.log);
  const temporal = await startDevTemporal({ log: input.log, port: await freePort() });
  const native = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  const taskQueue = 'bench-rules';
  const worker = await createJunctionWorker({
    connection: native,
    namespace: temporal.namespace,
    taskQueue,
    deps: { dataSource: input.ds, log: input.log },
  });
  const running = worker.run();
  const setCondition = (value: string) =>
    input.ds.query(`UPDATE role_rules SET condition = $2 WHERE tenant_id = $1 AND name = 'Engineers'`, [
      input.tenantId,
      JSON.stringify({ attribute: 'jobTitle', op: 'eq', value }),
    ]);
  try {
    // Warm-up on the current rule (nothing changes): the worker's first workflow task loads the bundle.
    await evaluate(client, taskQueue, input.tenantId);
    await setCondition('Sales');
    const requested = Date.now();
    const started = await requestRuleEvaluation(client, taskQueue, input.tenantId, { requestedBy: 'bench' });
    const requestMs = Date.now() - requested;
    const outcome = await client.workflow.getHandle(started.workflowId).result();
    const wall = (Date.now() - requested) / 1000;
    console.log(JSON.stringify({ bench: 'rules.request', n: input.n, ms: requestMs, load: machineLoad() }));
    console.log(
      JSON.stringify({
        bench: 'rules.workflow',
        n: input.n,
        wall_s: round(wall),
        per_s: Math.round(outcome.totals.read / wall),
        ...outcome.totals,
        passes: outcome.passes,
        load: machineLoad(),
      }),
    );

    console.log(
      JSON.stringify({
        bench: 'rules.api_create',
        n: input.n,
        ...(await timeApiCreate(client, taskQueue, input)),
        load: machineLoad(),
      }),
    );

    const burstStart = Date.now();
    await setCondition('Support');
    const first = await requestRuleEvaluation(client, taskQueue, input.tenantId, { requestedBy: 'bench' });
    for (const value of ['Finance', 'Engineer']) {
      await new Promise((r) => setTimeout(r, 1_000));
      await setCondition(value);
      await requestRuleEvaluation(client, taskQueue, input.tenantId, { requestedBy: 'bench' });
    }
    const burst = (await client.workflow.getHandle(first.workflowId).result()) as RuleEvaluationOutcome;
    const [{ n: engineers }] = (await input.ds.query(
      `SELECT count(*)::int AS n FROM role_assignments WHERE role_id = $1 AND source = 'rule'`,
      [input.roleId],
    )) as [{ n: number }];
    console.log(
      JSON.stringify({
        bench: 'rules.burst',
        n: input.n,
        edits: 3,
        wall_s: round((Date.now() - burstStart) / 1000),
        passes: burst.passes,
        assigned_after: engineers,
        load: machineLoad(),
      }),
    );
  } finally {
    worker.shutdown();
    await running;
    await native.close();
    await connection.close();
    await temporal.stop();
  }
}

async function evaluate(client: Client, taskQueue: string, tenantId: string): Promise<RuleEvaluationOutcome> {
  const started = await requestRuleEvaluation(client, taskQueue, tenantId, { requestedBy: 'bench' });
  return (await client.workflow.getHandle(started.workflowId).result()) as RuleEvaluationOutcome;
}

/**
 * The admin API's `POST /role-rules` through a real gateway: what the admin waits for now (the rule committed and
 * the evaluation started), then how long until the tenant has settled.
 */
async function timeApiCreate(
  client: Client,
  taskQueue: string,
  input: { ds: DataSource; tenantId: string; roleId: string; log: Logger },
): Promise<{ request_ms: number; settled_s: number }> {
  const gateway = await startGateway(
    {
      dataSource: input.ds,
      temporal: { client, namespace: client.options.namespace, taskQueue },
      log: input.log,
      publicUrl: 'http://127.0.0.1',
      vault: new Vault(randomBytes(32)),
    },
    0,
    '127.0.0.1',
  );
  try {
    const minted = mintToken('admin');
    const repo = input.ds.getRepository(ApiToken);
    await repo.save(
      repo.create({
        tenantId: input.tenantId,
        name: 'bench',
        tokenHash: minted.hash,
        prefix: minted.prefix,
        kind: 'admin',
        role: 'group_admin',
        scopes: [],
        connectionId: null,
        createdBy: 'bench',
        expiresAt: null,
      }),
    );
    const started = Date.now();
    const response = await fetch(`${gateway.url}/api/v1/role-rules`, {
      method: 'POST',
      headers: { authorization: `Bearer ${minted.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        roleId: input.roleId,
        name: 'Active finance',
        condition: {
          all: [
            { attribute: 'jobTitle', op: 'eq', value: 'Finance' },
            { attribute: 'status', op: 'eq', value: 'active' },
          ],
        },
      }),
    });
    const requestMs = Date.now() - started;
    const body = (await response.json()) as { evaluation?: { workflowId: string } };
    if (response.status !== 201 || !body.evaluation) throw new Error(`POST /role-rules: ${response.status}`);
    await client.workflow.getHandle(body.evaluation.workflowId).result();
    return { request_ms: requestMs, settled_s: round((Date.now() - started) / 1000) };
  } finally {
    await gateway.close();
  }
}
