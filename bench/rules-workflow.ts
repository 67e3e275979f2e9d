import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
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
    input.ds.query(`UPDATE role_rules SET condition = $2 WHERE tenant_id = $1`, [
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
