import type { DataSource } from 'typeorm';
import {
  Account,
  AdminGrant,
  Approval,
  Connection,
  Department,
  Group,
  Person,
  Role,
  SyncEvent,
  SyncRun,
} from '../../core/entities/index.js';

/** Objects of every kind in one tenant, written straight to the database (as the sync engine or HR would). */
export interface TenantObjects {
  connection: Connection;
  source: Connection;
  person: Person;
  department: Department;
  group: Group;
  role: Role;
  account: Account;
  run: SyncRun;
  event: SyncEvent;
  approval: Approval;
  grant: AdminGrant;
}

export async function seedTenantObjects(
  ds: DataSource,
  tenantId: string,
  tag: string,
): Promise<TenantObjects> {
  const save = <T extends object>(entity: new () => T, value: Partial<T>): Promise<T> =>
    ds.getRepository(entity).save(ds.getRepository(entity).create(value as T));
  const connection = await save(Connection, {
    tenantId,
    connectorId: 'wecom',
    slug: `target-${tag}`,
    name: `Target ${tag}`,
    direction: 'target',
    config: {},
  });
  const source = await save(Connection, {
    tenantId,
    connectorId: 'bamboohr',
    slug: `hr-${tag}`,
    name: `HR ${tag}`,
    direction: 'source',
    config: {},
  });
  const department = await save(Department, {
    tenantId,
    sourceConnectionId: source.id,
    externalId: `d-${tag}`,
    name: `Engineering ${tag}`,
    code: `ENG-${tag}`,
  });
  const person = await save(Person, {
    tenantId,
    sourceConnectionId: source.id,
    externalId: `p-${tag}`,
    employeeNumber: `E-${tag}`,
    displayName: `Pat ${tag}`,
    email: `pat.${tag}@example.com`,
    departmentId: department.id,
    jobTitle: 'Engineer',
  });
  const group = await save(Group, {
    tenantId,
    sourceConnectionId: source.id,
    externalId: `g-${tag}`,
    displayName: `Group ${tag}`,
  });
  const role = await save(Role, {
    tenantId,
    key: `fixture-${tag}`,
    name: `Fixture ${tag}`,
    description: null,
  });
  const account = await save(Account, {
    tenantId,
    connectionId: connection.id,
    personId: person.id,
    externalId: `acct-${tag}`,
    status: 'active',
  });
  const run = await save(SyncRun, {
    tenantId,
    connectionId: connection.id,
    kind: 'target',
    trigger: 'manual',
    mode: 'full',
    status: 'held',
    counts: { created: 1 },
  });
  const event = await save(SyncEvent, {
    runId: run.id,
    tenantId,
    connectionId: connection.id,
    objectType: 'account',
    objectId: account.id,
    externalId: account.externalId,
    label: person.displayName,
    action: 'create',
    status: 'ok',
    diff: { email: { from: null, to: person.email } },
  });
  const approval = await save(Approval, {
    tenantId,
    runId: run.id,
    connectionId: connection.id,
    workflowId: `wf-${tag}`,
    reason: 'would disable 60 of 100 accounts',
    summary: { disable: 60 },
  });
  const grant = await save(AdminGrant, { personId: person.id, tenantId, role: 'auditor' });
  return { connection, source, person, department, group, role, account, run, event, approval, grant };
}
