import type { Page, ReadRequest } from '../kit/contract.js';
import { ConnectorError, isConnectorError } from '../kit/errors.js';
import type { KingdeeClient } from './client.js';
import { decodeCursor, encodeCursor, pageSize } from './cursor.js';
import { and, equals, greaterThan } from './filter-string.js';
import { Lifecycle, type RecordState } from './lifecycle.js';
import {
  EMPLOYEE_FIELD_KEYS,
  employeeChanges,
  employeeModel,
  employeeRows,
  employeeUpdateFields,
  extraQueryKey,
  type EmployeeDesired,
  type EmployeeRow,
} from './mapping.js';

const FORM = 'BD_Empinfo' as const;

/**
 * 员工 (BD_Empinfo) records: found by number, written so that a retry converges (look up by number first; a create
 * that collides with a record made meanwhile continues with that record), audited so finance can use them, and
 * 禁用 when the person should not be active.
 */
export class EmployeeRecords {
  private readonly lifecycle: Lifecycle;

  constructor(
    private readonly client: KingdeeClient,
    private readonly orgNumber: string | undefined,
  ) {
    this.lifecycle = new Lifecycle(client, FORM, (id) => this.findById(id));
  }

  private orgFilter(): string | undefined {
    return this.orgNumber ? equals('FUseOrgId.FNumber', this.orgNumber) : undefined;
  }

  private async findWhere(filter: string, extraKeys: readonly string[] = []): Promise<EmployeeRow[]> {
    const rows = await this.client.query({
      formId: FORM,
      fieldKeys: [...EMPLOYEE_FIELD_KEYS, ...extraKeys],
      filter: and(filter, this.orgFilter()),
      order: 'FID ASC',
      limit: 200,
    });
    return employeeRows(rows, extraKeys);
  }

  async findById(id: number): Promise<RecordState | null> {
    return (await this.findWhere(`FID = ${Math.trunc(id)}`))[0] ?? null;
  }

  /** The employee with this number in the configured organisation, or null. */
  async find(number: string, extraKeys: readonly string[] = []): Promise<EmployeeRow | null> {
    const found = await this.findWhere(equals('FStaffNumber', number), extraKeys);
    if (found.length > 1) {
      throw new ConnectorError('invalid_config', {
        message: `${found.length} Kingdee employees have the number ${number} (several organisations use it); set the connection's orgNumber`,
      });
    }
    return found[0] ?? null;
  }

  /** Keyset pages by FID: unlike StartRow offsets, records created or deleted mid-read do not shift later pages. */
  async list(request: ReadRequest): Promise<Page<EmployeeRow>> {
    const after = decodeCursor(request.cursor, 'employees');
    const limit = pageSize(request.pageSize);
    const rows = await this.client.query({
      formId: FORM,
      fieldKeys: EMPLOYEE_FIELD_KEYS,
      filter: and(greaterThan('FID', after), this.orgFilter()),
      order: 'FID ASC',
      limit,
    });
    let employees = employeeRows(rows);
    if (rows.length < limit) return { items: employees, nextCursor: null };
    // A full page may end inside the last employee's post rows: read that employee again on the next page.
    if (employees.length > 1) employees = employees.slice(0, -1);
    const last = employees[employees.length - 1];
    return { items: employees, nextCursor: last ? encodeCursor('employees', last.id) : null };
  }

  /**
   * Makes Kingdee hold `desired`: creates or modifies (only what differs), submits and audits, and forbids or
   * enables. `current` is the record to modify when the caller already found it (a renumbering update).
   */
  async upsert(desired: EmployeeDesired, current?: EmployeeRow): Promise<EmployeeRow> {
    const what = desired.number;
    const extraKeys = Object.entries(desired.extra).map(([key, value]) => extraQueryKey(key, value));
    let row = current ?? (await this.find(desired.number, extraKeys));
    let state: RecordState;
    if (!row) {
      try {
        const id = await this.client.save(FORM, employeeModel(desired, { ...this.org() }), { what });
        state = { id, documentStatus: 'A', forbidStatus: 'A' };
      } catch (error) {
        // Created meanwhile (a concurrent sync, or this call's earlier attempt whose answer was lost).
        if (!isConnectorError(error) || error.connectorCode !== 'conflict') throw error;
        row = await this.find(desired.number, extraKeys);
        if (!row) throw error;
        state = { ...row };
      }
    } else {
      state = { ...row };
    }
    if (row) {
      const changed = employeeChanges(row, desired);
      if (changed.length > 0) {
        await this.lifecycle.makeEditable(state, what);
        await this.client.save(
          FORM,
          employeeModel(desired, {
            id: row.id,
            postEntryId: row.postEntryId,
            fields: changed,
            ...this.org(),
          }),
          { what, needUpdateFields: employeeUpdateFields(changed) },
        );
      }
    }
    await this.lifecycle.approve(state, what);
    await this.lifecycle.setActive(state, desired.active, what);
    const saved = await this.find(desired.number, extraKeys);
    if (!saved) {
      throw new ConnectorError('vendor_error', {
        message: `Kingdee saved employee ${what} but it cannot be found afterwards`,
      });
    }
    return saved;
  }

  /** 禁用 the employee with this number (auditing it first if needed). */
  async disable(number: string): Promise<void> {
    const row = await this.find(number);
    if (!row)
      throw new ConnectorError('not_found', { message: `Kingdee has no employee ${number} to disable` });
    await this.lifecycle.setActive({ ...row }, false, number);
  }

  /** Deletes the employee (enabling and un-auditing it first); Kingdee refuses when vouchers or claims use it. */
  async remove(number: string): Promise<void> {
    const row = await this.find(number);
    if (row) await this.lifecycle.remove({ ...row }, number);
  }

  private org(): { orgNumber?: string } {
    return this.orgNumber ? { orgNumber: this.orgNumber } : {};
  }
}
