import type { DataSource } from 'typeorm';
import type { Connection } from '../../core/entities/index.js';
import type { ObjectError } from './failure-policy.js';

/** A "create requested" mark: the account row, and whether this very statement inserted it. */
export interface RequestedCreate {
  accountId: string;
  externalId: string | null;
  /** Inserted just now: no earlier attempt can have called the vendor for this person and connection. */
  fresh: boolean;
}

/**
 * Marks the creates of a page as requested, in one statement, before any vendor call: a worker killed after the
 * call leaves a row without an external id, and whoever retries looks the account up instead of creating it.
 * `xmax = 0` holds for the rows the INSERT created, not for those ON CONFLICT updated (PostgreSQL stamps an
 * updated row's xmax with the updating transaction) — that tells a first attempt from a retry.
 */
export async function requestCreates(
  ds: DataSource,
  connection: Pick<Connection, 'id' | 'tenantId'>,
  personIds: string[],
): Promise<Map<string, RequestedCreate>> {
  const out = new Map<string, RequestedCreate>();
  if (personIds.length === 0) return out;
  const rows = (await ds.query(
    `INSERT INTO accounts (tenant_id, connection_id, person_id, status, version)
     SELECT $1, $2, p, 'active', 1 FROM unnest($3::uuid[]) AS p
     ON CONFLICT (connection_id, person_id) DO UPDATE SET updated_at = now()
     RETURNING id, person_id, external_id, (xmax = 0) AS fresh`,
    [connection.tenantId, connection.id, [...new Set(personIds)]],
  )) as { id: string; person_id: string; external_id: string | null; fresh: boolean }[];
  for (const row of rows) {
    out.set(row.person_id, { accountId: row.id, externalId: row.external_id, fresh: row.fresh });
  }
  return out;
}

/** What a confirmed vendor write leaves in the account row. */
export interface ConfirmedWrite {
  accountId: string;
  externalId: string;
  stateHash: string;
  pushed: Record<string, unknown>;
  groups: string[];
}

const UPDATE_SQL = `
  UPDATE accounts a SET external_id = u.external_id, status = 'active', state_hash = u.state_hash,
    last_pushed = u.last_pushed, groups = ARRAY(SELECT jsonb_array_elements_text(u.groups)),
    disabled_at = NULL, delete_after = NULL, last_synced_at = now(), updated_at = now(), version = a.version + 1
  FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::jsonb[], $5::jsonb[])
    AS u(id, external_id, state_hash, last_pushed, groups)
  WHERE a.id = u.id`;

/**
 * Records confirmed vendor writes in the account rows a batch at a time (one statement per `batchSize` writes,
 * written while the page's next vendor calls are in flight) rather than one round trip per account. Losing a
 * batch to a crash costs nothing but lookups: those rows keep no external id (or the old hash), so the retried
 * page finds the accounts in the target and rewrites what is missing. A row the directory refuses (another
 * account of the connection already has that external id) is reported for quarantine, not the whole batch.
 */
export class AccountWriteBack {
  private pending: ConfirmedWrite[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly refused = new Map<string, ObjectError>();

  constructor(
    private readonly ds: DataSource,
    private readonly batchSize = 100,
  ) {}

  add(write: ConfirmedWrite): void {
    this.pending.push(write);
    // The failure stays in the chain and is thrown by done(); nothing is left unhandled meanwhile.
    if (this.pending.length >= this.batchSize) this.flush().catch(() => undefined);
  }

  /** Writes what is pending and waits for every batch; returns the rows the directory refused, by account id. */
  async done(): Promise<ReadonlyMap<string, ObjectError>> {
    await this.flush();
    return this.refused;
  }

  private flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) this.chain = this.chain.then(() => this.write(batch));
    return this.chain;
  }

  private async write(batch: ConfirmedWrite[]): Promise<void> {
    try {
      await this.update(batch);
      return;
    } catch (error) {
      if (!isConstraintViolation(error)) throw error;
    }
    // One row broke a constraint: write them one by one so the others are kept.
    for (const write of batch) {
      try {
        await this.update([write]);
      } catch (error) {
        if (!isConstraintViolation(error)) throw error;
        this.refuse(write, error);
      }
    }
  }

  private refuse(write: ConfirmedWrite, error: unknown): void {
    const detail = (error as { detail?: string }).detail;
    this.refused.set(write.accountId, {
      code: 'rejected_by_directory',
      message: `the target account ${write.externalId} could not be recorded: ${detail ?? 'a uniqueness rule of the directory'}`,
    });
  }

  private async update(batch: ConfirmedWrite[]): Promise<void> {
    await this.ds.query(UPDATE_SQL, [
      batch.map((w) => w.accountId),
      batch.map((w) => w.externalId),
      batch.map((w) => w.stateHash),
      batch.map((w) => JSON.stringify(w.pushed)),
      batch.map((w) => JSON.stringify(w.groups)),
    ]);
  }
}

/** PostgreSQL class 23 (integrity constraint violation): the data, not the database, is at fault. */
function isConstraintViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('23');
}
