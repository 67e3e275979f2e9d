import type {
  AccountLister,
  AccountWriter,
  AnyConnectorInstance,
  DepartmentReader,
  DepartmentWriter,
  EmployeeRecordWriter,
  GroupMembershipWriter,
  PeopleReader,
} from '../../connectors/kit/contract.js';
import type { Connection } from '../../core/entities/index.js';
import type { Logger } from '../../core/logger.js';

/**
 * A connector instance as the engine holds it: which capabilities a vendor has is known only at run time (from its
 * definition), so they are optional; the guards below narrow before use.
 */
export type OpenedConnector = AnyConnectorInstance;

/**
 * How activities get a live connector for a connection row: bin wires the registry's `openConnector` (config
 * parsed, secrets opened from the vault) into the worker's dependencies.
 */
export type ConnectorOpener = (
  connection: Connection,
  options: { log: Logger; signal?: AbortSignal },
) => Promise<OpenedConnector> | OpenedConnector;

export function canReadPeople(c: OpenedConnector): c is OpenedConnector & PeopleReader {
  return typeof c.readPeople === 'function';
}
export function canReadDepartments(c: OpenedConnector): c is OpenedConnector & DepartmentReader {
  return typeof c.readDepartments === 'function';
}
export function canListAccounts(c: OpenedConnector): c is OpenedConnector & AccountLister {
  return typeof c.listAccounts === 'function' && typeof c.findAccount === 'function';
}
export function canWriteAccounts(c: OpenedConnector): c is OpenedConnector & AccountWriter {
  return typeof c.createAccount === 'function' && typeof c.updateAccount === 'function';
}
export function canWriteDepartments(c: OpenedConnector): c is OpenedConnector & DepartmentWriter {
  return typeof c.upsertDepartment === 'function';
}
export function canWriteGroups(c: OpenedConnector): c is OpenedConnector & GroupMembershipWriter {
  return typeof c.setGroupMembers === 'function';
}
export function canWriteEmployeeRecords(c: OpenedConnector): c is OpenedConnector & EmployeeRecordWriter {
  return typeof c.upsertEmployeeRecord === 'function';
}
