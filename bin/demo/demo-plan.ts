import type { ConnectionSchedule } from '../../core/entities/connection.js';
import type { ConnectorId } from '../../connectors/registry.js';
import type { RuleCondition } from '../../workers/access/rule-condition.js';

/**
 * What the demo is, as data: a group company with two subsidiaries, each fed by its own BambooHR and provisioning
 * its own office / finance systems, all of them built-in simulators. seed-demo.ts turns this into records;
 * demo-simulators.ts starts the simulators it names. Mail domains use the reserved `.example` TLD (RFC 2606 §2).
 */

/** The simulators the demo runs, each at `JUNCTION_DEMO_SIMULATOR_BASE_PORT + offset`. */
export type DemoSimulatorKey = 'auroraHr' | 'borealisHr' | 'wecom' | 'kingdee' | 'scim' | 'ldap';

export interface DemoSimulatorPlan {
  vendor: ConnectorId;
  offset: number;
  title: string;
  /** Generated people: the HR sources are full, the targets start empty (Junction fills them). */
  people: number;
  seed: number;
  emailDomain?: string;
  departments?: number;
}

export const DEMO_SIMULATORS: Record<DemoSimulatorKey, DemoSimulatorPlan> = {
  auroraHr: {
    vendor: 'bamboohr',
    offset: 0,
    title: 'BambooHR (Aurora Robotics)',
    people: 300,
    seed: 11,
    emailDomain: 'aurora-robotics.example',
    // 25 departments give the generator three divisions (Engineering, Sales, Finance) at this size.
    departments: 25,
  },
  borealisHr: {
    vendor: 'bamboohr',
    offset: 1,
    title: 'BambooHR (Borealis Foods)',
    people: 200,
    seed: 12,
    emailDomain: 'borealis-foods.example',
    departments: 25,
  },
  wecom: { vendor: 'wecom', offset: 2, title: 'WeCom (Aurora Robotics)', people: 0, seed: 21 },
  kingdee: { vendor: 'kingdee', offset: 3, title: 'Kingdee (Aurora Robotics)', people: 0, seed: 22 },
  scim: { vendor: 'scim', offset: 4, title: 'SCIM app (Borealis Foods)', people: 0, seed: 23 },
  ldap: { vendor: 'ldap', offset: 5, title: 'LDAP directory (Borealis Foods)', people: 0, seed: 24 },
};

export interface DemoTenantPlan {
  slug: string;
  name: string;
  domains: string[];
}

/** The group is created under SEEDING_SLUG and renamed last, so an interrupted seed is recognisable. */
export const DEMO_GROUP: DemoTenantPlan = {
  slug: 'polaris-group',
  name: 'Polaris Group (demo)',
  domains: ['polaris-group.example'],
};
export const DEMO_GROUP_SEEDING_SLUG = 'polaris-group-seeding';

export type DemoSubsidiaryKey = 'aurora' | 'borealis';

export const DEMO_SUBSIDIARIES: Record<DemoSubsidiaryKey, DemoTenantPlan> = {
  aurora: {
    slug: 'aurora-robotics',
    name: 'Aurora Robotics',
    domains: ['aurora-robotics.example', 'aurora.example'],
  },
  borealis: { slug: 'borealis-foods', name: 'Borealis Foods', domains: ['borealis-foods.example'] },
};

export const DEMO_ADMIN = {
  email: `admin@${DEMO_GROUP.domains[0] ?? 'polaris-group.example'}`,
  givenName: 'Demo',
  familyName: 'Admin',
  displayName: 'Demo Admin',
  employeeNumber: 'ADMIN-1',
};

/** HR every five minutes (changes since the last read), and a nightly full read that finds leavers. */
const SOURCE_SCHEDULE: ConnectionSchedule = {
  intervalSeconds: 300,
  fullReconcileCron: '0 2 * * *',
  overlap: 'skip',
};
/**
 * Targets are provisioned after every HR read already; their own schedule is the nightly full reconcile that repairs
 * drift (made by hand in the target), an hour after HR's so the two rarely meet.
 */
const TARGET_SCHEDULE: ConnectionSchedule = { fullReconcileCron: '0 3 * * *', overlap: 'skip' };

export interface DemoConnectionPlan {
  key: string;
  tenant: DemoSubsidiaryKey;
  simulator: DemoSimulatorKey;
  slug: string;
  name: string;
  direction: 'source' | 'target';
  /** Settings on top of the simulator's connection config. */
  extraConfig?: Record<string, unknown>;
  mappings?: Record<string, unknown>;
  schedule: ConnectionSchedule;
}

export const DEMO_CONNECTIONS: DemoConnectionPlan[] = [
  {
    key: 'auroraHr',
    tenant: 'aurora',
    simulator: 'auroraHr',
    slug: 'bamboohr',
    name: 'BambooHR',
    direction: 'source',
    schedule: SOURCE_SCHEDULE,
  },
  {
    key: 'wecom',
    tenant: 'aurora',
    simulator: 'wecom',
    slug: 'wecom',
    name: 'WeCom',
    direction: 'target',
    // The simulator is WeCom's documented 10,000 calls a minute, so it can take more than the careful default pace;
    // no invitations from a demo.
    extraConfig: { requestsPerSecond: 100, invite: false },
    mappings: { position: 'jobTitle', 'extattr.工号': 'employeeNumber' },
    schedule: TARGET_SCHEDULE,
  },
  {
    key: 'kingdee',
    tenant: 'aurora',
    simulator: 'kingdee',
    slug: 'kingdee',
    name: 'Kingdee',
    direction: 'target',
    // Kingdee publishes no rate limit and the connector's default is a cautious 10/s; the simulator takes more.
    extraConfig: { requestsPerSecond: 100 },
    // Kingdee employees are numbered by the HR employee number (every Kingdee reference is by number).
    mappings: { userName: 'employeeNumber' },
    schedule: TARGET_SCHEDULE,
  },
  {
    key: 'borealisHr',
    tenant: 'borealis',
    simulator: 'borealisHr',
    slug: 'bamboohr',
    name: 'BambooHR',
    direction: 'source',
    schedule: SOURCE_SCHEDULE,
  },
  {
    key: 'scim',
    tenant: 'borealis',
    simulator: 'scim',
    slug: 'scim-app',
    name: 'SCIM app',
    direction: 'target',
    extraConfig: { requestsPerSecond: 100 },
    mappings: { title: 'jobTitle', department: 'department.name', employeeNumber: 'employeeNumber' },
    schedule: TARGET_SCHEDULE,
  },
  {
    key: 'ldap',
    tenant: 'borealis',
    simulator: 'ldap',
    slug: 'ldap',
    name: 'LDAP directory',
    direction: 'target',
    mappings: { title: 'jobTitle', employeeNumber: 'employeeNumber' },
    schedule: TARGET_SCHEDULE,
  },
];

/** One grant of a role: an account or a scope in a demo connection, or something in the demo app. */
export type DemoGrant =
  | { connection: string; kind: 'account' | 'group' | 'role' | 'permission_set'; value?: string }
  | { application: true; kind: 'app_access' | 'group' | 'role'; value?: string };

export interface DemoRolePlan {
  key: string;
  name: string;
  description: string;
  /** Group-level rules reach both subsidiaries (includeSubsidiaries). */
  rule: { name: string; condition: RuleCondition };
  grants: DemoGrant[];
}

export const DEMO_ROLES: DemoRolePlan[] = [
  {
    key: 'employee',
    name: 'Employee',
    description: 'Everyone active: an account in their own subsidiary’s office systems, and the demo app',
    rule: { name: 'Active staff', condition: { attribute: 'status', op: 'eq', value: 'active' } },
    grants: [
      // Each target only looks at its own subsidiary's people, so one group role gives each person one account.
      { connection: 'wecom', kind: 'account' },
      { connection: 'scim', kind: 'account' },
      { connection: 'scim', kind: 'group', value: 'all-staff' },
      { connection: 'ldap', kind: 'account' },
      { connection: 'ldap', kind: 'group', value: 'all-staff' },
      { application: true, kind: 'app_access' },
      { application: true, kind: 'group', value: 'all-staff' },
    ],
  },
  {
    key: 'finance',
    name: 'Finance',
    description: 'The Finance division: a Kingdee account with the accounts-payable permission set',
    rule: {
      name: 'Finance division',
      condition: {
        all: [
          { attribute: 'status', op: 'eq', value: 'active' },
          { attribute: 'division', op: 'eq', value: 'Finance' },
        ],
      },
    },
    grants: [
      { connection: 'kingdee', kind: 'account' },
      { connection: 'kingdee', kind: 'permission_set', value: 'FIN-AP' },
      { connection: 'scim', kind: 'group', value: 'finance' },
      { connection: 'ldap', kind: 'group', value: 'finance' },
      { application: true, kind: 'role', value: 'expense-approver' },
    ],
  },
  {
    key: 'engineering',
    name: 'Engineering',
    description: 'The Engineering division',
    rule: {
      name: 'Engineering division',
      condition: {
        all: [
          { attribute: 'status', op: 'eq', value: 'active' },
          { attribute: 'division', op: 'eq', value: 'Engineering' },
        ],
      },
    },
    grants: [
      { connection: 'scim', kind: 'group', value: 'engineering' },
      { connection: 'ldap', kind: 'group', value: 'engineering' },
      { application: true, kind: 'group', value: 'engineering' },
    ],
  },
];

/** The app whose tokens show the access model: `roles`, `groups` and `entitlements` claims. */
export const DEMO_APP = {
  slug: 'demo-app',
  name: 'Demo app',
};
