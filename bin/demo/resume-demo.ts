import { Connection, AuditEvent } from '../../core/entities/index.js';
import { connectionSecretsContext, sealConnectionConfig } from '../../connectors/open-connector.js';
import { findConnector } from '../../connectors/registry.js';
import { canonicalJson } from '../../workers/access/state-hash.js';
import { forgetTargetState } from '../../workers/sync/forget-target-state.js';
import { applyConnectionSchedules } from '../../workers/schedules.js';
import type { DataSource } from 'typeorm';
import {
  DEMO_CONNECTIONS,
  DEMO_SIMULATORS,
  DEMO_SUBSIDIARIES,
  type DemoConnectionPlan,
} from './demo-plan.js';
import type { RunningDemoSimulators } from './demo-simulators.js';
import type { DemoConnectionRef, DemoDeps } from './seed-demo.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A start of a database that already holds the demo. The simulators came back on their fixed ports, but they keep
 * no state, so for each demo connection that still points at a simulator on this machine:
 * - its config is brought in line with the running simulator where they differ (the LDAP simulator mints its
 *   admin password per launch; JUNCTION_DEMO_SIMULATOR_BASE_PORT may have changed), sealed like any other;
 * - a target's pushed state is forgotten (the simulator is empty again), so the first full run re-creates it;
 * - its schedules are re-applied (idempotent; `.data/temporal.db` may have been removed).
 * Connections an admin pointed elsewhere are left exactly as they are. Returns the connections to run now.
 */
export async function resumeDemo(
  deps: DemoDeps,
  simulators: RunningDemoSimulators,
  groupId: string,
): Promise<DemoConnectionRef[]> {
  const ds = deps.dataSource;
  const refs: DemoConnectionRef[] = [];
  for (const { plan, id } of await findDemoConnections(ds, groupId)) {
    const connection = await ds.getRepository(Connection).findOneByOrFail({ id });
    const simulator = simulators.running[plan.simulator];
    const stored = openStored(deps, connection);
    if (!pointsAtLoopback(stored)) {
      deps.log.info(
        { connection: id, connectionName: connection.name },
        'demo connection points at a system other than its simulator: left alone',
      );
      continue;
    }
    if (!simulator) {
      deps.log.warn(
        { connection: id, simulator: DEMO_SIMULATORS[plan.simulator].title },
        'the simulator of this demo connection is not running here: its runs will fail',
      );
      continue;
    }
    const changed = Object.keys(simulator.connectionConfig).filter(
      (key) => canonicalJson(stored[key] ?? null) !== canonicalJson(simulator.connectionConfig[key] ?? null),
    );
    if (changed.length > 0)
      await repoint(deps, connection, { ...stored, ...simulator.connectionConfig }, changed);
    if (connection.direction === 'target') {
      const forgotten = await forgetTargetState(ds, id);
      deps.log.info(
        { connection: id, connectionName: connection.name, ...forgotten },
        'demo target restarted empty: the next full run re-creates its accounts',
      );
    }
    await applyConnectionSchedules(deps.temporal.client, deps.temporal.taskQueue, id, connection);
    refs.push({
      key: plan.key,
      id,
      tenantId: connection.tenantId,
      direction: connection.direction,
      name: connection.name,
    });
  }
  return refs;
}

/** The demo's connections that still exist (an admin may have deleted some), found by tenant and slug. */
export async function findDemoConnections(
  ds: DataSource,
  groupId: string,
): Promise<{ plan: DemoConnectionPlan; id: string }[]> {
  const found: { plan: DemoConnectionPlan; id: string }[] = [];
  for (const plan of DEMO_CONNECTIONS) {
    const rows = (await ds.query(
      `SELECT c.id FROM connections c JOIN tenants t ON t.id = c.tenant_id
        WHERE t.parent_id = $1 AND t.slug = $2 AND c.slug = $3`,
      [groupId, DEMO_SUBSIDIARIES[plan.tenant].slug, plan.slug],
    )) as { id: string }[];
    if (rows[0]) found.push({ plan, id: rows[0].id });
  }
  return found;
}

function openStored(deps: DemoDeps, connection: Connection): Record<string, unknown> {
  const secrets = connection.secretsSealed
    ? deps.vault.openJson<Record<string, unknown>>(
        connection.secretsSealed,
        connectionSecretsContext(connection.id),
      )
    : {};
  return { ...connection.config, ...secrets };
}

function pointsAtLoopback(config: Record<string, unknown>): boolean {
  const address = config.baseUrl ?? config.url;
  if (typeof address !== 'string') return false;
  try {
    return LOOPBACK.has(new URL(address).hostname);
  } catch {
    return false;
  }
}

async function repoint(
  deps: DemoDeps,
  connection: Connection,
  raw: Record<string, unknown>,
  changed: string[],
): Promise<void> {
  const definition = findConnector(connection.connectorId);
  if (!definition) return;
  const sealed = sealConnectionConfig(definition, raw, deps.vault, connection.id);
  await deps.dataSource.transaction(async (manager) => {
    const repo = manager.getRepository(Connection);
    const row = await repo.findOneByOrFail({ id: connection.id });
    row.config = sealed.config;
    row.secretsSealed = sealed.secretsSealed;
    await repo.save(row);
    // Field names only: values may be secrets.
    await manager.getRepository(AuditEvent).save(
      manager.getRepository(AuditEvent).create({
        tenantId: connection.tenantId,
        actorType: 'system',
        actorId: null,
        actorLabel: 'junction start (demo)',
        action: 'demo.repoint',
        targetType: 'connection',
        targetId: connection.id,
        outcome: 'success',
        after: { changed },
      }),
    );
  });
  deps.log.info({ connection: connection.id, changed }, 'demo connection re-pointed at its simulator');
}
