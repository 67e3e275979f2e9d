import { defineConnector } from '../kit/contract.js';
import {
  disableAccount,
  deleteAccount,
  createAccount,
  findAccount,
  listAccounts,
  updateAccount,
} from './accounts.js';
import { check } from './check.js';
import { ldapConfigSchema, resolveSettings } from './config.js';
import { deleteDepartment, readDepartments, upsertDepartment } from './departments.js';
import { Directory } from './directory.js';
import { listGroups, setGroupMembers } from './groups.js';
import { readPeople } from './people.js';

/**
 * LDAP v3 / Active Directory: a directory as a provisioning target (accounts, OUs for departments, group
 * membership) and as a source of people. Speaks the protocol itself (RFC 4511) through ldapts; `flavour` picks
 * OpenLDAP (inetOrgPerson, groupOfNames, ppolicy) or AD (user, group, userAccountControl) conventions.
 */
export const ldapConnector = defineConnector({
  id: 'ldap',
  category: 'directory',
  title: 'LDAP / Active Directory',
  description:
    'Creates, updates, moves, disables and deletes accounts in an LDAP v3 directory or Active Directory, keeps department OUs and group membership in step, and reads people from it.',
  docsUrl: 'https://www.rfc-editor.org/rfc/rfc4511',
  directions: ['source', 'target'],
  configSchema: ldapConfigSchema,
  capabilities: [
    'check',
    'readPeople',
    'readDepartments',
    'listAccounts',
    'listGroups',
    'writeAccounts',
    'writeDepartments',
    'writeGroupMembers',
  ],
  // No vendor-documented rate; a modest ceiling that a single domain controller or slapd takes easily.
  rateLimit: { requestsPerSecond: 50, burst: 20 },
  create(ctx) {
    const dir = new Directory(resolveSettings(ctx.config), ctx.log.child({ connector: 'ldap' }), ctx.signal);
    return {
      check: () => check(dir),
      readPeople: (request) => readPeople(dir, request),
      // AD tombstones or an OpenLDAP access log; without either, leavers deleted in the directory wait for a full read.
      incrementalReadsReportDeletions: dir.settings.deletions !== null,
      readDepartments: (request) => readDepartments(dir, request),
      listAccounts: (request) => listAccounts(dir, request),
      findAccount: (input) => findAccount(dir, input),
      listGroups: (request) => listGroups(dir, request),
      createAccount: (input) => createAccount(dir, input),
      updateAccount: (externalId, input) => updateAccount(dir, externalId, input),
      disableAccount: (externalId) => disableAccount(dir, externalId),
      deleteAccount: (externalId) => deleteAccount(dir, externalId),
      upsertDepartment: (input) => upsertDepartment(dir, input),
      deleteDepartment: (externalId) => deleteDepartment(dir, externalId),
      setGroupMembers: (groupName, members) => setGroupMembers(dir, groupName, members),
      close: () => dir.close(),
    };
  },
});
