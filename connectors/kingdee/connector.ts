import type {
  AccountInput,
  CheckReport,
  DepartmentInput,
  EmployeeRecordInput,
  Page,
  ReadRequest,
  SourceDepartment,
  TargetAccount,
} from '../kit/contract.js';
import { ConnectorError, isConnectorError } from '../kit/errors.js';
import { FORM_LABEL, KingdeeClient, type FormId, type KingdeeClientOptions } from './client.js';
import { DepartmentRecords } from './departments.js';
import { EmployeeRecords } from './employees.js';
import { equals } from './filter-string.js';
import {
  departmentFromInput,
  employeeFromAccountInput,
  employeeFromRecordInput,
  sourceDepartment,
  targetAccount,
} from './mapping.js';

/**
 * The Kingdee connector instance. Kingdee is a finance target: its "accounts" are 员工 employee records (the people
 * expense claims and cost allocation refer to), keyed by employee number; disabling an account is 禁用, and
 * re-enabling it on a rehire is 反禁用. Departments are 部门 records keyed by number.
 *
 * Built as an object of closures rather than a class, so callers may pass its methods around unbound.
 */
export function createKingdeeConnector(options: KingdeeClientOptions) {
  const client = new KingdeeClient(options);
  const employees = new EmployeeRecords(client, options.config.orgNumber);
  const departments = new DepartmentRecords(client, options.config.orgNumber);
  return {
    /**
     * Logs in (wrong data centre, wrong credentials and an administrator login each get their own message), reads
     * one row of each form (a missing 查看 permission names the form), and checks the organisation exists.
     */
    async check(): Promise<CheckReport> {
      const { config } = options;
      const orgFilter = config.orgNumber ? equals('FUseOrgId.FNumber', config.orgNumber) : undefined;
      const probe = async (formId: FormId, key: string, filter?: string) => {
        try {
          return await client.query({ formId, fieldKeys: [key], ...(filter ? { filter } : {}), limit: 1 });
        } catch (error) {
          if (isConnectorError(error) && error.connectorCode === 'permission_denied') {
            throw new ConnectorError('permission_denied', {
              message: `Kingdee user ${config.username} may not read ${FORM_LABEL[formId]}: grant it 查看 (view) on that form, plus 保存 / 提交 / 审核 / 反审核 / 禁用 / 反禁用 / 删除 for writes`,
              ...(error.vendorCode ? { vendorCode: error.vendorCode } : {}),
              ...(error.vendorMessage ? { vendorMessage: error.vendorMessage } : {}),
            });
          }
          throw error;
        }
      };
      await probe('BD_Empinfo', 'FID', orgFilter);
      await probe('BD_Department', 'FDEPTID', orgFilter);
      let organisation = '';
      if (config.orgNumber) {
        try {
          const rows = await client.query({
            formId: 'ORG_Organizations',
            fieldKeys: ['FOrgID', 'FNumber', 'FName'],
            filter: equals('FNumber', config.orgNumber),
            limit: 1,
          });
          const [org] = rows;
          if (!org) {
            throw new ConnectorError('invalid_config', {
              message: `orgNumber ${config.orgNumber} is not an organisation in Kingdee data centre ${config.acctId}`,
            });
          }
          organisation = ` in organisation ${config.orgNumber} (${String(org[2] ?? '')})`;
        } catch (error) {
          // Reading the organisation list needs its own permission; without it the number is checked on first write.
          if (!isConnectorError(error) || error.connectorCode !== 'permission_denied') throw error;
          organisation = ` in organisation ${config.orgNumber} (not verified: no permission to read 组织)`;
        }
      }
      return {
        ok: true,
        message: `logged in to Kingdee data centre ${config.acctId} as ${config.username}; can read 员工 and 部门${organisation}`,
        details: { acctId: config.acctId, username: config.username, orgNumber: config.orgNumber ?? null },
      };
    },

    // ─── accounts: 员工 records ──────────────────────────────────────────────────────────────────────────────────

    async listAccounts(request: ReadRequest): Promise<Page<TargetAccount>> {
      const page = await employees.list(request);
      return { items: page.items.map(targetAccount), nextCursor: page.nextCursor };
    },

    async findAccount(
      input: Pick<AccountInput, 'correlationId' | 'userName' | 'email'>,
    ): Promise<TargetAccount | null> {
      const row = await employees.find(input.userName.trim());
      return row ? targetAccount(row) : null;
    },

    async createAccount(input: AccountInput): Promise<TargetAccount> {
      return targetAccount(await employees.upsert(employeeFromAccountInput(input)));
    },

    /** Updates the employee numbered `externalId`; a new number in the input renumbers it in place. */
    async updateAccount(externalId: string, input: AccountInput): Promise<TargetAccount> {
      const desired = employeeFromAccountInput(input);
      const current = await employees.find(externalId);
      if (!current)
        throw new ConnectorError('not_found', { message: `Kingdee has no employee ${externalId} to update` });
      if (desired.number !== current.number && (await employees.find(desired.number))) {
        throw new ConnectorError('conflict', {
          message: `cannot renumber Kingdee employee ${externalId} to ${desired.number}: that number is taken`,
        });
      }
      return targetAccount(await employees.upsert(desired, current));
    },

    async disableAccount(externalId: string): Promise<void> {
      await employees.disable(externalId);
    },

    async deleteAccount(externalId: string): Promise<void> {
      await employees.remove(externalId);
    },

    // ─── employee records (finance) ──────────────────────────────────────────────────────────────────────────────

    async upsertEmployeeRecord(input: EmployeeRecordInput): Promise<{ externalId: string }> {
      const row = await employees.upsert(employeeFromRecordInput(input));
      return { externalId: row.number };
    },

    // ─── departments ─────────────────────────────────────────────────────────────────────────────────────────────

    async readDepartments(request: ReadRequest): Promise<Page<SourceDepartment>> {
      const page = await departments.list(request);
      return { items: page.items.map(sourceDepartment), nextCursor: page.nextCursor };
    },

    async upsertDepartment(input: DepartmentInput): Promise<{ externalId: string }> {
      const row = await departments.upsert(departmentFromInput(input));
      return { externalId: row.number };
    },

    async deleteDepartment(externalId: string): Promise<void> {
      await departments.remove(externalId);
    },

    async close(): Promise<void> {
      await client.close();
    },
  };
}

export type KingdeeConnectorInstance = ReturnType<typeof createKingdeeConnector>;
