import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { bamboohrConnector } from '../../connectors/bamboohr/index.js';
import { kingdeeConnector } from '../../connectors/kingdee/index.js';
import { ldapConnector } from '../../connectors/ldap/index.js';
import { BambooHrSimulator } from '../../connectors/bamboohr/simulator.js';
import type { RegisteredConnector } from '../../connectors/kit/contract.js';
import type { FaultSettings } from '../../connectors/kit/simulator/fault-injector.js';
import { openConnector, sealConnectionConfig } from '../../connectors/open-connector.js';
import { scimConnector } from '../../connectors/scim/index.js';
import { ScimSimulator } from '../../connectors/scim/simulator.js';
import { wecomConnector } from '../../connectors/wecom/index.js';
import { DEFAULT_CORP_ID, DEFAULT_SECRET, WeComSimulator } from '../../connectors/wecom/simulator.js';
import { createLogger } from '../../core/logger.js';
import { Vault } from '../../core/vault/vault.js';
import type { ActivityDeps } from '../../workers/activities/index.js';
import type { ConnectorOpener } from '../../workers/sync/connector-port.js';
import type { SyncTuning } from '../../workers/sync/sync-deps.js';

/**
 * A small company for the sync tests: a tenant, a BambooHR simulator as the HR source and WeCom / SCIM simulators
 * as targets, each with a real Connection row (config sealed with a real vault) and the real connectors.
 */
export const HR_WEBHOOK_KEY = 'bamboohr-webhook-private-key';

export const DEFINITIONS: Record<string, RegisteredConnector> = {
  bamboohr: bamboohrConnector,
  wecom: wecomConnector,
  scim: scimConnector,
  ldap: ldapConnector,
  kingdee: kingdeeConnector,
};

export function testOpener(vault: Vault): ConnectorOpener {
  return (connection, options) =>
    openConnector(connection, { vault, log: options.log, findConnector: (id) => DEFINITIONS[id] }).instance;
}

export interface SyncWorld {
  ds: DataSource;
  vault: Vault;
  /** The vault's key, for a worker running in another process. */
  masterKey: Buffer;
  tenantId: string;
  hr: { sim: BambooHrSimulator; url: string; connectionId: string };
  wecom?: { sim: WeComSimulator; url: string; connectionId: string };
  scim?: { sim: ScimSimulator; url: string; connectionId: string };
  deps(tuning?: SyncTuning): ActivityDeps;
  stop(): Promise<void>;
}

export async function buildWorld(
  ds: DataSource,
  options: {
    people: number;
    targets: ('wecom' | 'scim')[];
    faults?: Partial<FaultSettings>;
    /** Options for the target connection rows. */
    target?: {
      accountScope?: 'all' | 'entitled';
      scopeFilter?: string | null;
      leaverAction?: 'disable' | 'delete' | 'none';
    };
  },
): Promise<SyncWorld> {
  const masterKey = randomBytes(32);
  const vault = new Vault(masterKey);
  const [tenant] = (await ds.query(
    `INSERT INTO tenants (slug, name, version) VALUES ($1, 'Acme', 1) RETURNING id`,
    [`acme-${randomBytes(3).toString('hex')}`],
  )) as [{ id: string }];
  const tenantId = tenant.id;

  const hrSim = new BambooHrSimulator({ people: options.people, seed: 7 });
  const hrHandle = await hrSim.start(0, '127.0.0.1');
  const hrId = await insertConnection(ds, vault, {
    tenantId,
    connectorId: 'bamboohr',
    slug: 'hr',
    direction: 'source',
    raw: { ...hrSim.connectionConfig(hrHandle.url), webhookPrivateKey: HR_WEBHOOK_KEY },
  });
  const world: SyncWorld = {
    ds,
    vault,
    masterKey,
    tenantId,
    hr: { sim: hrSim, url: hrHandle.url, connectionId: hrId },
    deps: (tuning) => ({
      dataSource: ds,
      log: createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name: 'sync-test' }),
      openConnector: testOpener(vault),
      ...(tuning ? { tuning } : {}),
    }),
    stop: async () => {
      await hrHandle.stop();
      await world.wecom?.sim.stop();
      await world.scim?.sim.close();
    },
  };
  const target = {
    accountScope: options.target?.accountScope ?? 'all',
    scopeFilter: options.target?.scopeFilter ?? null,
    leaverAction: options.target?.leaverAction ?? 'disable',
  };
  if (options.targets.includes('wecom')) {
    const sim = new WeComSimulator({
      ...(options.faults ? { faults: options.faults } : {}),
      frequency: { perMinute: 1_000_000, perHour: 10_000_000 },
    });
    const handle = await sim.start(0, '127.0.0.1');
    const connectionId = await insertConnection(ds, vault, {
      tenantId,
      connectorId: 'wecom',
      slug: 'wecom',
      direction: 'target',
      raw: {
        corpId: DEFAULT_CORP_ID,
        corpSecret: DEFAULT_SECRET,
        baseUrl: handle.url,
        requestsPerSecond: 1000,
        invite: false,
      },
      mappings: { position: 'jobTitle', 'extattr.工号': 'employeeNumber' },
      ...target,
    });
    world.wecom = { sim, url: handle.url, connectionId };
  }
  if (options.targets.includes('scim')) {
    const sim = new ScimSimulator(options.faults ? { faults: options.faults } : {});
    const url = await sim.listen(0, '127.0.0.1');
    const connectionId = await insertConnection(ds, vault, {
      tenantId,
      connectorId: 'scim',
      slug: 'scim',
      direction: 'target',
      raw: { baseUrl: url, authType: 'bearer', token: 'scim-simulator-token', requestsPerSecond: 1000 },
      mappings: { title: 'jobTitle', department: 'department.name', employeeNumber: 'employeeNumber' },
      ...target,
    });
    world.scim = { sim, url, connectionId };
  }
  return world;
}

export async function insertConnection(
  ds: DataSource,
  vault: Vault,
  input: {
    tenantId: string;
    connectorId: string;
    slug: string;
    direction: 'source' | 'target';
    raw: Record<string, unknown>;
    mappings?: Record<string, unknown>;
    accountScope?: 'all' | 'entitled';
    scopeFilter?: string | null;
    leaverAction?: 'disable' | 'delete' | 'none';
  },
): Promise<string> {
  const id = randomUUID();
  const definition = DEFINITIONS[input.connectorId];
  if (!definition) throw new Error(`no connector ${input.connectorId}`);
  const sealed = sealConnectionConfig(definition, input.raw, vault, id);
  await ds.query(
    `INSERT INTO connections (id, tenant_id, connector_id, slug, name, direction, config, secrets_sealed, mappings,
       account_scope, scope_filter, deletion, version)
     VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9, $10, $11, 1)`,
    [
      id,
      input.tenantId,
      input.connectorId,
      input.slug,
      input.direction,
      JSON.stringify(sealed.config),
      sealed.secretsSealed,
      JSON.stringify(input.mappings ?? {}),
      input.accountScope ?? 'all',
      input.scopeFilter ?? null,
      JSON.stringify({
        leaverAction: input.leaverAction ?? 'disable',
        graceDays: 30,
        thresholdPercent: 10,
        thresholdCount: 50,
      }),
    ],
  );
  return id;
}
