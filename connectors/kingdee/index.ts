import { defineConnector } from '../kit/contract.js';
import { KINGDEE_RATE_LIMIT } from './client.js';
import { kingdeeConfigSchema } from './config.js';
import { createKingdeeConnector } from './connector.js';

/**
 * Kingdee Cloud Galaxy (金蝶云星空, K/3 Cloud): keeps the finance system's employees (员工 BD_Empinfo) and departments
 * (部门 BD_Department) in step with HR, for expense reimbursement and cost allocation. Accounts are employee
 * records keyed by employee number; writes save, submit and audit them, and disable (禁用) leavers.
 */
export const kingdeeConnector = defineConnector({
  id: 'kingdee',
  category: 'finance',
  title: 'Kingdee Cloud Galaxy (金蝶云星空)',
  description:
    'Employees (员工) and departments (部门) kept in step with HR over the K/3 Cloud WebAPI: saved, submitted and audited so expense claims and cost allocation can use them; leavers disabled (禁用).',
  docsUrl: 'https://open.kingdee.com/K3Cloud/WDIT/',
  directions: ['target'],
  configSchema: kingdeeConfigSchema,
  capabilities: [
    'check',
    'listAccounts',
    'writeAccounts',
    'writeEmployeeRecords',
    'readDepartments',
    'writeDepartments',
  ] as const,
  rateLimit: KINGDEE_RATE_LIMIT,
  create: (ctx) =>
    createKingdeeConnector({
      config: ctx.config,
      connectionId: ctx.connectionId,
      log: ctx.log,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    }),
});
