import type { Page, ReadRequest } from '../kit/contract.js';
import { ConnectorError, isConnectorError } from '../kit/errors.js';
import type { KingdeeClient } from './client.js';
import { decodeCursor, encodeCursor, pageSize } from './cursor.js';
import { and, equals, greaterThan } from './filter-string.js';
import { Lifecycle, type RecordState } from './lifecycle.js';
import {
  DEPARTMENT_FIELD_KEYS,
  departmentChanges,
  departmentModel,
  departmentRow,
  type DepartmentDesired,
  type DepartmentRow,
} from './mapping.js';

const FORM = 'BD_Department' as const;

/**
 * 部门 (BD_Department) records: found by number, created under their parent (`FParentID` by number), renamed and
 * moved in place, audited, enabled again when HR brings a department back, and deleted.
 */
export class DepartmentRecords {
  private readonly lifecycle: Lifecycle;

  constructor(
    private readonly client: KingdeeClient,
    private readonly orgNumber: string | undefined,
  ) {
    this.lifecycle = new Lifecycle(client, FORM, (id) =>
      this.findWhere(`FDEPTID = ${Math.trunc(id)}`).then((r) => r[0] ?? null),
    );
  }

  private orgFilter(): string | undefined {
    return this.orgNumber ? equals('FUseOrgId.FNumber', this.orgNumber) : undefined;
  }

  private async findWhere(filter: string): Promise<DepartmentRow[]> {
    const rows = await this.client.query({
      formId: FORM,
      fieldKeys: DEPARTMENT_FIELD_KEYS,
      filter: and(filter, this.orgFilter()),
      order: 'FDEPTID ASC',
      limit: 50,
    });
    return rows.map(departmentRow);
  }

  async find(number: string): Promise<DepartmentRow | null> {
    const found = await this.findWhere(equals('FNumber', number));
    if (found.length > 1) {
      throw new ConnectorError('invalid_config', {
        message: `${found.length} Kingdee departments have the number ${number} (several organisations use it); set the connection's orgNumber`,
      });
    }
    return found[0] ?? null;
  }

  async list(request: ReadRequest): Promise<Page<DepartmentRow>> {
    const after = decodeCursor(request.cursor, 'departments');
    const limit = pageSize(request.pageSize);
    const rows = await this.client.query({
      formId: FORM,
      fieldKeys: DEPARTMENT_FIELD_KEYS,
      filter: and(greaterThan('FDEPTID', after), this.orgFilter()),
      order: 'FDEPTID ASC',
      limit,
    });
    const items = rows.map(departmentRow);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length < limit || !last ? null : encodeCursor('departments', last.id) };
  }

  async upsert(desired: DepartmentDesired): Promise<DepartmentRow> {
    const what = desired.number;
    const org = this.orgNumber ? { orgNumber: this.orgNumber } : {};
    let row = await this.find(desired.number);
    let state: RecordState;
    if (!row) {
      try {
        const id = await this.client.save(FORM, departmentModel(desired, org), { what });
        state = { id, documentStatus: 'A', forbidStatus: 'A' };
      } catch (error) {
        if (!isConnectorError(error) || error.connectorCode !== 'conflict') throw error;
        row = await this.find(desired.number);
        if (!row) throw error;
        state = { ...row };
      }
    } else {
      state = { ...row };
    }
    if (row) {
      const changed = departmentChanges(row, desired);
      if (changed.length > 0) {
        await this.lifecycle.makeEditable(state, what);
        await this.client.save(FORM, departmentModel(desired, { id: row.id, fields: changed, ...org }), {
          what,
          needUpdateFields: changed,
        });
      }
    }
    await this.lifecycle.approve(state, what);
    await this.lifecycle.setActive(state, true, what);
    const saved = await this.find(desired.number);
    if (!saved) {
      throw new ConnectorError('vendor_error', {
        message: `Kingdee saved department ${what} but it cannot be found afterwards`,
      });
    }
    return saved;
  }

  /** Deletes the department; Kingdee refuses while it has sub-departments or employees, or vouchers use it. */
  async remove(number: string): Promise<void> {
    const row = await this.find(number);
    if (row) await this.lifecycle.remove({ ...row }, number);
  }
}
