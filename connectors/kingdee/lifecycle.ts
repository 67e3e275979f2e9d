import { isConnectorError } from '../kit/errors.js';
import type { FormId, KingdeeClient, StateOperation } from './client.js';

/**
 * Walks a base-data record through Kingdee's lifecycle (API文档 › 提交 / 审核 / 反审核 / 撤销 / 删除 / 操作接口):
 * Save leaves it 创建 (A); Submit makes it 审核中 (B) and Audit 已审核 (C) — only audited master data can be used on
 * an expense claim or a voucher. An audited record must be un-audited (→ D 重新审核) to be edited, a submitted one
 * withdrawn (CancelAssign), and a forbidden one (FForbidStatus B) enabled first.
 *
 * Each step that Kingdee refuses because the record's state changed under us (someone audited it meanwhile, or a
 * retried activity already did the step) re-reads the record and carries on from its real state.
 */

export interface RecordState {
  id: number;
  documentStatus: string;
  forbidStatus: string;
}

/** A status test that does not narrow `state` (a step may have re-read it). */
function hasStatus(state: RecordState, status: string): boolean {
  return state.documentStatus === status;
}

export class Lifecycle {
  constructor(
    private readonly client: KingdeeClient,
    private readonly formId: FormId,
    private readonly reread: (id: number) => Promise<RecordState | null>,
  ) {}

  /** Runs one operation; when Kingdee refuses it for the record's state, `done` says whether that state is fine. */
  private async step(
    state: RecordState,
    op: StateOperation,
    what: string,
    done: (fresh: RecordState | null) => boolean,
  ): Promise<void> {
    try {
      await this.client.operate(this.formId, op, state.id, what);
    } catch (error) {
      if (
        !isConnectorError(error) ||
        (error.connectorCode !== 'conflict' && error.connectorCode !== 'not_found')
      ) {
        throw error;
      }
      const fresh = await this.reread(state.id);
      if (!done(fresh)) throw error;
      if (fresh) Object.assign(state, fresh);
    }
  }

  /** Enabled and in an editable status (A, D or Z). */
  async makeEditable(state: RecordState, what: string): Promise<void> {
    if (state.forbidStatus === 'B') {
      await this.step(state, 'Enable', what, (s) => s !== null && s.forbidStatus !== 'B');
      state.forbidStatus = 'A';
    }
    if (state.documentStatus === 'C') {
      await this.step(
        state,
        'UnAudit',
        what,
        (s) => s !== null && s.documentStatus !== 'C' && s.documentStatus !== 'B',
      );
      state.documentStatus = 'D';
    } else if (state.documentStatus === 'B') {
      await this.step(
        state,
        'CancelAssign',
        what,
        (s) => s !== null && s.documentStatus !== 'B' && s.documentStatus !== 'C',
      );
      state.documentStatus = 'A';
    }
  }

  /** Submitted and audited (C). */
  async approve(state: RecordState, what: string): Promise<void> {
    if (state.documentStatus === 'A' || state.documentStatus === 'D' || state.documentStatus === 'Z') {
      await this.step(
        state,
        'Submit',
        what,
        (s) => s !== null && (s.documentStatus === 'B' || s.documentStatus === 'C'),
      );
      // The step may have found it already audited by someone else (its state re-read).
      if (!hasStatus(state, 'C')) state.documentStatus = 'B';
    }
    if (state.documentStatus === 'B') {
      await this.step(state, 'Audit', what, (s) => s?.documentStatus === 'C');
      state.documentStatus = 'C';
    }
  }

  /** 禁用 / 反禁用: Kingdee forbids only audited records, so an inactive one is audited first. */
  async setActive(state: RecordState, active: boolean, what: string): Promise<void> {
    if (active && state.forbidStatus === 'B') {
      await this.step(state, 'Enable', what, (s) => s !== null && s.forbidStatus !== 'B');
      state.forbidStatus = 'A';
    } else if (!active && state.forbidStatus !== 'B') {
      await this.approve(state, what);
      await this.step(state, 'Forbid', what, (s) => s?.forbidStatus === 'B');
      state.forbidStatus = 'B';
    }
  }

  /** Deletes the record: Kingdee deletes only enabled records that are not audited or submitted. */
  async remove(state: RecordState, what: string): Promise<void> {
    await this.makeEditable(state, what);
    await this.step(state, 'Delete', what, (s) => s === null);
  }
}
