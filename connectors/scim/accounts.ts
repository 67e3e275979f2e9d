import type { Logger } from '../../core/logger.js';
import type {
  AccountInput,
  CreateAccountOptions,
  Page,
  ReadRequest,
  TargetAccount,
} from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import { filterString, type ScimClient } from './client.js';
import { readCursor, writeCursor } from './cursor.js';
import { applyDesired, desiredUser, patchOperations, toTargetAccount, type DesiredUser } from './mapping.js';
import { isNotFound, isNotImplemented, isPreconditionFailed, isScimType } from './scim-errors.js';
import type { ScimUser } from './wire-schemas.js';

/** How often an update re-reads and retries after a 412 (someone else changed the user in between). */
const MAX_VERSION_RETRIES = 3;

/**
 * Accounts as SCIM Users: paged listing, lookup by externalId then userName, idempotent create, updates by PATCH
 * (or PUT) guarded by If-Match, disable, delete. Every write starts from the server's current state, so what
 * Junction does not manage is left as it was.
 */
export class ScimAccounts {
  /** Cleared when the server refuses `externalId eq` filters (400 invalidFilter): then userName only. */
  private externalIdFilter: boolean;

  constructor(
    private readonly client: ScimClient,
    private readonly log: Logger,
  ) {
    this.externalIdFilter = client.config.matchByExternalId;
  }

  // RFC 7644 §3.4.2.4: index paging. The cursor is the next startIndex; it advances by what the server sent,
  // since a server may send fewer than `count` (RFC: "MAY return fewer").
  async listAccounts(request: ReadRequest): Promise<Page<TargetAccount>> {
    const startIndex = readCursor(request.cursor);
    const count = await this.pageSize(request.pageSize);
    const page = await this.client.listUsers({ startIndex, count });
    const next = startIndex + page.items.length;
    const done = page.items.length === 0 || next > page.totalResults;
    return { items: page.items.map(toTargetAccount), nextCursor: done ? null : writeCursor(next) };
  }

  async findAccount(
    input: Pick<AccountInput, 'correlationId' | 'userName' | 'email'>,
  ): Promise<TargetAccount | null> {
    const user = await this.findUser(input.correlationId, this.lookupUserName(input));
    return user ? toTargetAccount(user) : null;
  }

  /**
   * Idempotent create: an account already linked to the correlation id is returned as it is; otherwise POST, and
   * a 409 `uniqueness` (a retried request, or an account that predates Junction) is resolved by looking the
   * user up. An account holding the userName but linked to another externalId is never taken over. On a first
   * attempt the lookup before the POST is left out: it only finds what an earlier attempt created (its userName
   * may have changed since, so the POST would not conflict), and there was none; the 409 path still adopts.
   */
  async createAccount(input: AccountInput, options: CreateAccountOptions = {}): Promise<TargetAccount> {
    const desired = desiredUser(input, this.client.config);
    if (this.externalIdFilter && !options.firstAttempt) {
      const linked = await this.findByExternalId(input.correlationId);
      if (linked) return toTargetAccount(linked);
    }
    try {
      return toTargetAccount(await this.client.createUser(applyDesired(null, desired)));
    } catch (error) {
      if (!(error instanceof ConnectorError) || error.connectorCode !== 'conflict')
        throw context(error, `creating user ${desired.userName}`);
      const existing = await this.findUser(input.correlationId, desired.userName);
      if (existing) return toTargetAccount(existing);
      throw new ConnectorError('conflict', {
        message: `creating user ${desired.userName}: the SCIM server reports a conflict (${error.vendorMessage ?? error.vendorCode ?? 'HTTP 409'}), and no account with that userName${desired.externalId ? ' or externalId' : ''} can be adopted: it belongs to another externalId or is not visible to this token`,
        ...(error.vendorCode ? { vendorCode: error.vendorCode } : {}),
        ...(error.vendorMessage ? { vendorMessage: error.vendorMessage } : {}),
        httpStatus: 409,
        cause: error,
      });
    }
  }

  async updateAccount(externalId: string, input: AccountInput): Promise<TargetAccount> {
    const desired = desiredUser(input, this.client.config);
    return toTargetAccount(await this.write(externalId, desired, `updating user ${desired.userName}`));
  }

  // Disabling is `active: false` (RFC 7643 §4.1.1), everything else kept.
  async disableAccount(externalId: string): Promise<void> {
    await this.write(externalId, null, `disabling user ${externalId}`);
  }

  // RFC 7644 §3.6. A user already gone is what was asked for.
  async deleteAccount(externalId: string): Promise<void> {
    try {
      await this.client.deleteUser(externalId);
    } catch (error) {
      if (isNotFound(error)) return;
      throw context(error, `deleting user ${externalId}`);
    }
  }

  /**
   * Reads the user, computes the change from its current state and sends it as PATCH (RFC 7644 §3.5.2) or PUT
   * (§3.5.1) with If-Match (§3.14); a 412 means someone changed it meanwhile, so read again and recompute.
   * `desired` null disables. Nothing to change sends nothing.
   */
  private async write(externalId: string, desired: DesiredUser | null, what: string): Promise<ScimUser> {
    const capabilities = await this.client.providerCapabilities();
    for (let attempt = 1; ; attempt += 1) {
      const { user: current, etag } = await this.client.getUser(externalId).catch((error: unknown) => {
        throw context(error, what);
      });
      const currentJson = current as Record<string, unknown>;
      const wanted = desired ? applyDesired(currentJson, desired) : { ...currentJson, active: false };
      const ifMatch = capabilities.etag ? etag : undefined;
      const operations = desired
        ? patchOperations(currentJson, wanted, desired)
        : current.active === false
          ? []
          : [{ op: 'replace' as const, path: 'active', value: false }];
      if (operations.length === 0) return current;
      try {
        if (await this.client.usePatch()) {
          try {
            return await this.client.patchUser(externalId, operations, ifMatch);
          } catch (error) {
            if (!(isNotImplemented(error) && this.client.config.patchSupported === 'auto')) throw error;
            // The server announced PATCH (or announced nothing) but does not take it: PUT from now on.
            this.client.patchRefused = true;
            this.log.warn({ externalId }, 'the SCIM server refused PATCH; using PUT for this connection');
          }
        }
        const { meta: _meta, groups: _groups, ...body } = wanted;
        return await this.client.replaceUser(externalId, body, ifMatch);
      } catch (error) {
        if (isPreconditionFailed(error) && attempt < MAX_VERSION_RETRIES) {
          this.log.debug({ externalId, attempt }, 'SCIM user changed since read (412); reading it again');
          continue;
        }
        throw context(error, what);
      }
    }
  }

  /** externalId first (our link), then userName; the userName match only if it is unlinked or linked to us. */
  private async findUser(correlationId: string, userName: string | null): Promise<ScimUser | null> {
    if (this.externalIdFilter) {
      const linked = await this.findByExternalId(correlationId);
      if (linked) return linked;
    }
    if (!userName) return null;
    const found = await this.query(`userName eq ${filterString(userName)}`);
    const user = found.find((candidate) => candidate.userName?.toLowerCase() === userName.toLowerCase());
    if (!user) return null;
    if (this.client.config.matchByExternalId && user.externalId && user.externalId !== correlationId) {
      this.log.warn(
        { userName, externalId: user.id },
        'a SCIM user has this userName but another externalId; not adopting it',
      );
      return null;
    }
    return user;
  }

  private async findByExternalId(correlationId: string): Promise<ScimUser | null> {
    let found: ScimUser[];
    try {
      found = await this.query(`externalId eq ${filterString(correlationId)}`);
    } catch (error) {
      // RFC 7644 §3.4.2.2: a server that cannot filter on externalId says invalidFilter; match by userName then.
      if (
        isScimType(error, 'invalidFilter') ||
        (error instanceof ConnectorError && error.httpStatus === 400)
      ) {
        this.externalIdFilter = false;
        this.log.warn('the SCIM server does not filter on externalId; matching accounts by userName only');
        return null;
      }
      throw error;
    }
    const exact = found.filter((user) => user.externalId === correlationId);
    if (exact.length > 1) {
      throw new ConnectorError('conflict', {
        message: `${exact.length} SCIM users carry externalId ${correlationId} (${exact.map((user) => user.id).join(', ')}); delete the duplicates in the target`,
      });
    }
    return exact[0] ?? null;
  }

  private async query(filter: string): Promise<ScimUser[]> {
    return (await this.client.listUsers({ startIndex: 1, count: 10, filter })).items;
  }

  private lookupUserName(input: Pick<AccountInput, 'userName' | 'email'>): string | null {
    if (this.client.config.userNameAttribute === 'email') return input.email;
    return input.userName || null;
  }

  private async pageSize(hint: number | undefined): Promise<number> {
    const { maxResults } = await this.client.providerCapabilities();
    const wanted = hint ?? this.client.config.pageSize;
    return Math.max(1, Math.min(wanted, maxResults ?? wanted));
  }
}

/** Prefixes what was being done, keeping code, retryability and vendor detail. */
export function context(error: unknown, what: string): unknown {
  if (!(error instanceof ConnectorError)) return error;
  return new ConnectorError(error.connectorCode, {
    message: `${what}: ${error.publicMessage}`,
    retryable: error.retryable,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.vendorCode === undefined ? {} : { vendorCode: error.vendorCode }),
    ...(error.vendorMessage === undefined ? {} : { vendorMessage: error.vendorMessage }),
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    cause: error,
  });
}
