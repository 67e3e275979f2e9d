import type { Client } from 'ldapts';
import type { Logger } from '../../core/logger.js';
import { ConnectorError } from '../kit/errors.js';
import { fullJitterDelay } from '../kit/http/backoff.js';
import { sleep } from '../kit/http/sleep.js';
import type { LdapSettings } from './config.js';
import { LdapConnection } from './connection.js';
import { LdapEntry, isValidExternalId, uuidFilter, uuidOf } from './entry.js';
import { LdapResult, ldapResultCode, toConnectorError } from './ldap-errors.js';
import { normalizeDn } from './protocol/dn.js';
import { and, or } from './protocol/filter.js';
import { readPage, type PagedQuery, type PagedResult } from './paged-search.js';

const DN_CACHE_LIMIT = 50_000;
/** Attempts for a transient failure (network, busy, unavailable): LDAP has no Retry-After, so we back off. */
const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 5_000;
const RESOLVE_CONCURRENCY = 16;
const UUID_BATCH = 50;

/**
 * The connector's view of one directory: a lazily opened bound connection, error mapping on every operation,
 * paged reads, and the DN ⇄ external-id lookups that references (manager, member, parent OU) need.
 */
export class Directory {
  private current: LdapConnection | undefined;
  private opening: Promise<LdapConnection> | undefined;
  /** normalized DN → external id (null: no such entry). Bounded; cleared when full. */
  private readonly idByDn = new Map<string, string | null>();

  constructor(
    readonly settings: LdapSettings,
    readonly log: Logger,
    private readonly signal?: AbortSignal,
  ) {}

  /**
   * Retries transient failures with exponential backoff and full jitter. Writes are safe to repeat: callers treat
   * entryAlreadyExists / noSuchObject / value-exists on a repeated write as the earlier attempt having landed.
   */
  async retrying<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        const mapped = toConnectorError(error, { operation, url: this.url });
        if (!mapped.retryable || attempt >= MAX_ATTEMPTS || this.signal?.aborted) throw mapped;
        const delay = fullJitterDelay(attempt, BASE_DELAY_MS, MAX_DELAY_MS);
        this.log.debug(
          { operation, attempt, delay, err: mapped.toRecord() },
          'ldap: transient failure, retrying',
        );
        await sleep(delay, this.signal);
      }
    }
  }

  get url(): string {
    return this.settings.config.url;
  }

  /** The shared bound connection; concurrent callers wait for the same open. */
  private async connection(): Promise<LdapConnection> {
    if (this.current?.usable) return this.current;
    this.opening ??= (async () => {
      const stale = this.current;
      this.current = undefined;
      await stale?.close();
      try {
        this.current = await LdapConnection.open(this.settings.config, this.log);
        return this.current;
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }

  async isEncrypted(): Promise<boolean> {
    return (await this.connection()).isEncrypted;
  }

  /** Runs one operation on the shared connection, retrying transient failures, mapping all to ConnectorError. */
  run<T>(operation: string, fn: (client: Client) => Promise<T>): Promise<T> {
    return this.retrying(operation, async () => {
      const connection = await this.connection();
      try {
        return await fn(connection.client);
      } catch (error) {
        const mapped = toConnectorError(error, { operation, url: this.url });
        // A dropped or failing connection is not reused; the next attempt opens and binds a new one.
        if (mapped.retryable) {
          if (this.current === connection) this.current = undefined;
          await connection.close();
        }
        throw mapped;
      }
    });
  }

  /** A search small enough for one response (lookups by key, never whole subtrees). */
  async search(
    operation: string,
    base: string,
    options: { scope: 'base' | 'one' | 'sub'; filter: string; attributes: string[]; sizeLimit?: number },
  ): Promise<LdapEntry[]> {
    return this.run(operation, async (client) => {
      const result = await client.search(base, {
        scope: options.scope,
        filter: options.filter,
        attributes: options.attributes,
        explicitBufferAttributes: this.bufferAttributes(),
        ...(options.sizeLimit === undefined ? {} : { sizeLimit: options.sizeLimit }),
      });
      return result.searchEntries.map((raw) => LdapEntry.parse(raw));
    });
  }

  bufferAttributes(): string[] {
    return this.settings.uuidIsBinary ? [this.settings.uuidAttribute, 'objectSid'] : ['objectSid'];
  }

  /** Reads one entry; null when it does not exist. */
  async read(dn: string, attributes: string[], operation = `read ${dn}`): Promise<LdapEntry | null> {
    try {
      const [entry] = await this.search(operation, dn, {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes,
      });
      return entry ?? null;
    } catch (error) {
      if (error instanceof ConnectorError && error.vendorCode === String(LdapResult.noSuchObject))
        return null;
      throw error;
    }
  }

  /** Finds the entry with this external id below the base DN (ids survive renames, so we never cache DNs). */
  async findById(externalId: string, attributes: string[], classFilter?: string): Promise<LdapEntry | null> {
    if (!isValidExternalId(this.settings, externalId)) return null;
    const filter = classFilter
      ? and(classFilter, uuidFilter(this.settings, externalId))
      : uuidFilter(this.settings, externalId);
    const entries = await this.search(
      `find the entry with ${this.settings.uuidAttribute} ${externalId}`,
      this.settings.baseDn,
      {
        scope: 'sub',
        filter,
        attributes: [...attributes, this.settings.uuidAttribute],
        sizeLimit: 2,
      },
    );
    return entries[0] ?? null;
  }

  async requireById(
    externalId: string,
    attributes: string[],
    what: string,
    classFilter?: string,
  ): Promise<LdapEntry> {
    const entry = await this.findById(externalId, attributes, classFilter);
    if (!entry) {
      throw new ConnectorError('not_found', {
        message: `no ${what} with ${this.settings.uuidAttribute} ${externalId} below ${this.settings.baseDn}`,
      });
    }
    return entry;
  }

  idOf(entry: LdapEntry): string {
    const id = uuidOf(entry, this.settings);
    if (id === null) {
      throw new ConnectorError('vendor_error', {
        message: `${entry.dn} has no ${this.settings.uuidAttribute}; set uuidAttribute to an attribute every entry carries (entryUUID, objectGUID, nsUniqueId…)`,
      });
    }
    this.remember(entry.dn, id);
    return id;
  }

  remember(dn: string, id: string | null): void {
    if (this.idByDn.size >= DN_CACHE_LIMIT) this.idByDn.clear();
    this.idByDn.set(normalizeDn(dn), id);
  }

  forget(dn: string): void {
    const prefix = normalizeDn(dn);
    // A rename or move changes the DN of everything below it too.
    for (const key of this.idByDn.keys())
      if (key === prefix || key.endsWith(`,${prefix}`)) this.idByDn.delete(key);
  }

  /** External ids of the entries at these DNs (null for DNs that do not exist), looked up in parallel. */
  async idsOfDns(dns: string[]): Promise<Map<string, string | null>> {
    const result = new Map<string, string | null>();
    const missing = [...new Set(dns)].filter((dn) => {
      const cached = this.idByDn.get(normalizeDn(dn));
      if (cached !== undefined) result.set(dn, cached);
      return cached === undefined;
    });
    for (let i = 0; i < missing.length; i += RESOLVE_CONCURRENCY) {
      await Promise.all(
        missing.slice(i, i + RESOLVE_CONCURRENCY).map(async (dn) => {
          const entry = await this.read(dn, [this.settings.uuidAttribute], `resolve ${dn}`);
          const id = entry ? uuidOf(entry, this.settings) : null;
          this.remember(dn, id);
          result.set(dn, id);
        }),
      );
    }
    return result;
  }

  /** DNs of the entries with these external ids; throws not_found naming the ids that do not exist. */
  async dnsOfIds(ids: string[], what: string, classFilter: string): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    const invalid = unique.filter((id) => !isValidExternalId(this.settings, id));
    const found = new Map<string, string>();
    const valid = unique.filter((id) => isValidExternalId(this.settings, id));
    for (let i = 0; i < valid.length; i += UUID_BATCH) {
      const batch = valid.slice(i, i + UUID_BATCH);
      const entries = await this.search(`find ${what}`, this.settings.baseDn, {
        scope: 'sub',
        filter: and(classFilter, or(...batch.map((id) => uuidFilter(this.settings, id)))),
        attributes: [this.settings.uuidAttribute],
      });
      for (const entry of entries) found.set(this.idOf(entry), entry.dn);
    }
    const absent = [...invalid, ...valid.filter((id) => !found.has(id))];
    if (absent.length > 0) {
      throw new ConnectorError('not_found', {
        message: `${absent.length} ${what} not found by ${this.settings.uuidAttribute}: ${absent.slice(0, 5).join(', ')}${absent.length > 5 ? ', …' : ''}`,
      });
    }
    return found;
  }

  /** One page of a paged search on a dedicated connection (see paged-search.ts). */
  readPage(
    query: Omit<PagedQuery, 'explicitBufferAttributes' | 'pageSize'> & { pageSize?: number | undefined },
    cursor: string | null,
  ): Promise<PagedResult> {
    return this.retrying(`read ${query.base}`, () =>
      readPage(
        {
          ...query,
          attributes: [...new Set([...query.attributes, this.settings.uuidAttribute])],
          explicitBufferAttributes: this.bufferAttributes(),
          pageSize: Math.min(query.pageSize ?? this.settings.pageSize, this.settings.pageSize),
        },
        cursor,
        () => LdapConnection.open(this.settings.config, this.log),
        (entry) => uuidOf(entry, this.settings),
      ),
    );
  }

  isNoSuchObject(error: unknown): boolean {
    return (
      (error instanceof ConnectorError && error.vendorCode === String(LdapResult.noSuchObject)) ||
      ldapResultCode(error) === LdapResult.noSuchObject
    );
  }

  async close(): Promise<void> {
    const opening = this.opening;
    await opening?.catch(() => undefined);
    const connection = this.current;
    this.current = undefined;
    await connection?.close();
  }
}
