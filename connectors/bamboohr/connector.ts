import { createHmac, timingSafeEqual } from 'node:crypto';
import type {
  CheckReport,
  Checkable,
  ConnectorContext,
  DepartmentReader,
  Page,
  PeopleReader,
  ReadRequest,
  SourceDepartment,
  SourcePerson,
  WebhookVerifier,
} from '../kit/contract.js';
import { ConnectorError, isConnectorError } from '../kit/errors.js';
import type { ChangeEntry, ListEmployeesResponse } from './api-schemas.js';
import { BambooHrClient } from './client.js';
import type { BambooHrConfig } from './config.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { reportFields, toSourceDepartments, toSourcePerson } from './mapping.js';

/** Webhook deliveries older than this are refused (replays). */
const WEBHOOK_MAX_AGE_MS = 5 * 60_000;

/**
 * Reads people and departments from BambooHR. Full reads page through list-employees by its cursor (sorted by
 * employee id) and add, per page, the fields only a custom report has; incremental reads take the ids from
 * "Get Changed Employee IDs" and fetch exactly those. Watermarks come from BambooHR's own clock.
 */
export class BambooHrConnector implements Checkable, PeopleReader, DepartmentReader, WebhookVerifier {
  private readonly client: BambooHrClient;

  constructor(private readonly ctx: ConnectorContext<BambooHrConfig>) {
    this.client = new BambooHrClient(ctx.config, ctx);
  }

  async check(): Promise<CheckReport> {
    const config = this.ctx.config;
    const { body } = await this.client.listEmployees({ limit: 1 });
    const total = body.meta.total;
    const first = body.data[0];
    const details: Record<string, unknown> = { employees: total };
    const problems: string[] = [];
    if (first) {
      const wanted = reportFields(config);
      const visible = await this.client.reportFieldsVisible(first.employeeId, wanted);
      const hidden = wanted.filter((f) => !visible.has(f));
      if (hidden.length > 0) {
        details.hiddenFields = hidden;
        problems.push(
          `these fields are unknown or hidden from the API key's user and will read as empty: ${hidden.join(', ')}`,
        );
      }
      if (first._restrictedFields.length > 0) {
        details.restrictedFields = first._restrictedFields;
        problems.push(`restricted for this user: ${first._restrictedFields.join(', ')}`);
      }
    }
    return {
      ok: true,
      message: `signed in to BambooHR (${config.companyDomain}); ${total.toLocaleString('en')} employees readable${
        problems.length ? `; but ${problems.join('; ')}` : ''
      }`,
      details,
    };
  }

  async readPeople(request: ReadRequest): Promise<Page<SourcePerson>> {
    const limit = Math.min(2500, Math.max(1, request.pageSize ?? this.ctx.config.pageSize));
    const cursor = request.cursor ? decodeCursor(request.cursor) : null;
    if (cursor?.m === 'inc' || (!cursor && request.changedSince)) {
      return this.readChanged(
        cursor?.m === 'inc' ? cursor.since : (request.changedSince ?? ''),
        cursor?.m === 'inc' ? cursor.after : 0,
        limit,
        cursor === null,
      );
    }
    let listed: { body: ListEmployeesResponse; date: number | undefined };
    try {
      listed = await this.client.listEmployees({ limit, after: cursor?.after ?? null });
    } catch (error) {
      if (!cursor || !(isConnectorError(error) && error.vendorCode === 'BadPage')) throw error;
      // The employee our cursor points after was deleted (or changed) since: find our place by id instead.
      listed = await this.pageAfterId(cursor.last, limit);
    }
    const items = await this.enrich(listed.body.data);
    const last = listed.body.data.at(-1);
    const next = listed.body.meta.page.nextCursor;
    return {
      items,
      nextCursor:
        next && last ? encodeCursor({ v: 1, m: 'full', after: next, last: Number(last.employeeId) }) : null,
      ...(cursor ? {} : { watermark: this.watermark(listed.date) }),
    };
  }

  async readDepartments(_request: ReadRequest): Promise<Page<SourceDepartment>> {
    // The department list is small (one option per department) and comes in one answer.
    return { items: toSourceDepartments(await this.client.listFields()), nextCursor: null };
  }

  /**
   * X-BambooHR-Signature is the hex HMAC-SHA256, keyed with the webhook's private key, of the body followed by
   * X-BambooHR-Timestamp (Webhooks, "Security"). Deliveries without a valid signature, or too old, are refused.
   */
  verifyWebhook(request: {
    headers: Record<string, string | undefined>;
    rawBody: Buffer;
  }): { deliveryId: string } | null {
    const key = this.ctx.config.webhookPrivateKey;
    const signature = request.headers['x-bamboohr-signature'];
    const timestamp = request.headers['x-bamboohr-timestamp'];
    if (!key || !signature || !timestamp || !/^[0-9a-f]{64}$/i.test(signature)) return null;
    const seconds = Number(timestamp);
    const sentAt = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(timestamp);
    if (Number.isNaN(sentAt) || Math.abs(Date.now() - sentAt) > WEBHOOK_MAX_AGE_MS) return null;
    const expected = createHmac('sha256', key)
      .update(Buffer.concat([request.rawBody, Buffer.from(timestamp, 'utf8')]))
      .digest();
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return { deliveryId: signature.toLowerCase() };
  }

  private async readChanged(
    since: string,
    afterId: number,
    limit: number,
    first: boolean,
  ): Promise<Page<SourcePerson>> {
    if (Number.isNaN(Date.parse(since))) {
      throw new ConnectorError('invalid_config', {
        message: `the incremental read needs an ISO 8601 time to read changes since, not "${since}"`,
      });
    }
    const changed = await this.client.changedSince(since);
    const pending = changed.entries
      .map((entry: ChangeEntry) => ({ id: Number(entry.id), entry }))
      .filter((e) => Number.isInteger(e.id) && e.id > afterId)
      .sort((a, b) => a.id - b.id);
    const batch = pending.slice(0, limit);
    const removed = batch.filter((e) => e.entry.action === 'Deleted').map((e) => String(e.id));
    const live = batch.filter((e) => e.entry.action !== 'Deleted').map((e) => String(e.id));
    let items: SourcePerson[] = [];
    if (live.length > 0) {
      const { body } = await this.client.listEmployees({ limit: live.length, ids: live });
      items = await this.enrich(body.data);
    }
    const last = batch.at(-1);
    return {
      items,
      removedExternalIds: removed,
      nextCursor:
        pending.length > batch.length && last
          ? encodeCursor({ v: 1, m: 'inc', since, after: last.id })
          : null,
      ...(first ? { watermark: this.watermark(changed.date) } : {}),
    };
  }

  /**
   * Pages from the start (sorted by id) to the page holding the first employee after `lastId`, and returns that
   * page from there on: its BambooHR cursor is valid again. Costs a scan, but only when a cursor was refused.
   */
  private async pageAfterId(
    lastId: number,
    limit: number,
  ): Promise<{ body: ListEmployeesResponse; date: number | undefined }> {
    let after: string | null = null;
    for (;;) {
      const page = await this.client.listEmployees({ limit, after });
      const rest = page.body.data.filter((e) => Number(e.employeeId) > lastId);
      const nextCursor = page.body.meta.page.nextCursor;
      if (rest.length > 0 || nextCursor === null)
        return { body: { ...page.body, data: rest }, date: page.date };
      after = nextCursor;
    }
  }

  private async enrich(employees: ListEmployeesResponse['data']): Promise<SourcePerson[]> {
    const config = this.ctx.config;
    const report = await this.client.report(
      employees.map((e) => e.employeeId),
      reportFields(config),
    );
    return employees.map((e) => toSourcePerson(e, report.get(e.employeeId), config));
  }

  private watermark(serverTime: number | undefined): string {
    const overlapMs = this.ctx.config.changedSinceOverlapSeconds * 1000;
    return new Date((serverTime ?? Date.now()) - overlapMs).toISOString();
  }
}
