import type { z } from 'zod';
import type { Logger } from '../../core/logger.js';

/**
 * The connector contract. A connector is a definition object (id, category, config schema, capabilities) whose
 * `create(ctx)` returns an instance implementing the capabilities it declares. The sync engine only ever talks to
 * vendors through this interface.
 */

export type ConnectorCategory = 'hr' | 'finance' | 'office' | 'directory';
export type ConnectionDirection = 'source' | 'target';

/** One page of a paged read. `nextCursor` is opaque and resumable: null means the read is complete. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** Incremental reads: ids the vendor reports as deleted since the watermark. */
  removedExternalIds?: string[];
  /**
   * On the first page of a read: the vendor-side time (or delta token) the next incremental read should start
   * from. The engine stores it only after the whole read has committed.
   */
  watermark?: string;
}

export interface ReadRequest {
  /** null starts from the beginning. */
  cursor: string | null;
  /** Incremental read: only records changed since this watermark (from an earlier Page.watermark). */
  changedSince?: string | null;
  /** A hint; connectors clamp it to what the vendor allows. */
  pageSize?: number;
}

export type SourcePersonStatus = 'active' | 'inactive' | 'leaver';

/** A person as a source (HR, directory) describes them, in Junction's vocabulary. */
export interface SourcePerson {
  externalId: string;
  employeeNumber: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string;
  email: string | null;
  phone: string | null;
  departmentExternalId: string | null;
  managerExternalId: string | null;
  jobTitle: string | null;
  rank: string | null;
  grade: string | null;
  costCenter: string | null;
  division: string | null;
  location: string | null;
  status: SourcePersonStatus;
  /** ISO dates (YYYY-MM-DD). */
  hireDate: string | null;
  terminationDate: string | null;
  /** Vendor fields with no column of ours (custom fields), for mappings and role rules. */
  attributes: Record<string, unknown>;
}

export interface SourceDepartment {
  externalId: string;
  name: string;
  parentExternalId: string | null;
  code: string | null;
  costCenter: string | null;
  managerExternalId: string | null;
}

/** An account as the target system holds it. */
export interface TargetAccount {
  externalId: string;
  /** The target's login / user name, when it has one. */
  userName: string | null;
  email: string | null;
  active: boolean;
  /** Attributes as the target returns them, keyed by the same names `AccountInput.attributes` uses. */
  attributes: Record<string, unknown>;
  /** Group names / ids the account is a member of, when the target reports them with the account. */
  groups?: string[];
  /** The target's department ids the account sits in (office org trees). */
  departmentExternalIds?: string[];
}

/** What Junction wants an account to be. */
export interface AccountInput {
  /**
   * Stable key for idempotency (our person id or employee number). Connectors store it where the vendor allows
   * (SCIM externalId, WeCom userid, LDAP employeeNumber) or look the account up by it before creating.
   */
  correlationId: string;
  userName: string;
  email: string | null;
  displayName: string;
  active: boolean;
  /** Mapped attributes, in the target's field names. */
  attributes: Record<string, unknown>;
  departmentExternalIds?: string[];
}

export interface TargetGroup {
  externalId: string;
  name: string;
  memberExternalIds?: string[];
}

/** A department Junction wants in a target's org tree. */
export interface DepartmentInput {
  /** Our stable key for the department (its source external id). */
  correlationId: string;
  name: string;
  /** The target's id of the parent, or null for the root. */
  parentExternalId: string | null;
  code?: string | null;
  order?: number;
  /**
   * The target's id for this department as Junction recorded it from an earlier upsert, when it has one. A target
   * whose ids the connector allocates (WeCom) updates that department instead of allocating again, so a rename or
   * a move lands on it and an id taken by another department is never reached by re-deriving it.
   */
  externalId?: string | null;
}

/** An employee master record for a finance system. */
export interface EmployeeRecordInput {
  correlationId: string;
  employeeNumber: string;
  name: string;
  email: string | null;
  phone: string | null;
  departmentExternalId: string | null;
  jobTitle: string | null;
  costCenter: string | null;
  active: boolean;
  attributes: Record<string, unknown>;
}

export interface CheckReport {
  ok: true;
  /** What was verified, for the admin ("authenticated as …, can read employees, 1,204 people"). */
  message: string;
  details?: Record<string, unknown>;
}

/** The capabilities, as small interfaces; a definition lists the ones its instance implements. */
export interface Checkable {
  /** Reachability, credentials and permissions. Throws a ConnectorError with an actionable message on failure. */
  check(): Promise<CheckReport>;
}
export interface PeopleReader {
  readPeople(request: ReadRequest): Promise<Page<SourcePerson>>;
  /**
   * Whether an incremental read (`changedSince`) lists the people deleted since the watermark in
   * `removedExternalIds`. false or absent: only a full read notices them (the scheduled full reconcile), e.g.
   * LDAP, where a change-time filter cannot match an entry that no longer exists.
   */
  readonly incrementalReadsReportDeletions?: boolean;
}
export interface DepartmentReader {
  readDepartments(request: ReadRequest): Promise<Page<SourceDepartment>>;
}
export interface AccountLister {
  listAccounts(request: ReadRequest): Promise<Page<TargetAccount>>;
  /** Finds an account by the keys Junction knows, so a retried create never makes a second one. */
  findAccount(
    input: Pick<AccountInput, 'correlationId' | 'userName' | 'email'>,
  ): Promise<TargetAccount | null>;
}
export interface GroupLister {
  listGroups(request: ReadRequest): Promise<Page<TargetGroup>>;
}
/** What the caller knows about an account it asks a connector to create. */
export interface CreateAccountOptions {
  /**
   * No earlier attempt to create this account can have reached the vendor: the caller recorded its "create
   * requested" mark in this very attempt, before any vendor call. A connector may then skip a lookup it makes
   * before creating (that lookup is for resends whose first response was lost); it must still resolve a
   * conflict (an account that predates Junction, or a racing writer) by a lookup, never by a second account.
   */
  firstAttempt?: boolean;
}

export interface AccountWriter {
  /** Idempotent: creating an account that already exists (same correlation id / user name) returns it. */
  createAccount(input: AccountInput, options?: CreateAccountOptions): Promise<TargetAccount>;
  updateAccount(externalId: string, input: AccountInput): Promise<TargetAccount>;
  disableAccount(externalId: string): Promise<void>;
  deleteAccount(externalId: string): Promise<void>;
}
export interface DepartmentWriter {
  /** Creates or updates (including moves); returns the target's id. */
  upsertDepartment(input: DepartmentInput): Promise<{ externalId: string }>;
  deleteDepartment(externalId: string): Promise<void>;
}
export interface GroupMembershipWriter {
  /** Makes the group's members exactly these accounts (creating the group if needed). */
  setGroupMembers(groupName: string, memberExternalIds: string[]): Promise<{ groupExternalId: string }>;
}
export interface EmployeeRecordWriter {
  upsertEmployeeRecord(input: EmployeeRecordInput): Promise<{ externalId: string }>;
}
export interface WebhookVerifier {
  /** Checks the vendor's signature on a webhook delivery; returns the delivery id for de-duplication. */
  verifyWebhook(request: {
    headers: Record<string, string | undefined>;
    rawBody: Buffer;
  }): { deliveryId: string } | null;
}

export interface ConnectorCapabilities {
  check: Checkable;
  readPeople: PeopleReader;
  readDepartments: DepartmentReader;
  listAccounts: AccountLister;
  listGroups: GroupLister;
  writeAccounts: AccountWriter;
  writeDepartments: DepartmentWriter;
  writeGroupMembers: GroupMembershipWriter;
  writeEmployeeRecords: EmployeeRecordWriter;
  verifyWebhook: WebhookVerifier;
}
export type CapabilityName = keyof ConnectorCapabilities;

/** The instance type for a set of capabilities: exactly the interfaces declared. */
export type ConnectorInstance<C extends CapabilityName> = UnionToIntersection<ConnectorCapabilities[C]> &
  Checkable & { close?(): Promise<void> };

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** What `create` gets: the parsed config (secrets included, opened from the vault) and a logger. */
export interface ConnectorContext<Config> {
  connectionId: string;
  config: Config;
  log: Logger;
  /** Cancels in-flight requests when the activity is cancelled or its worker shuts down. */
  signal?: AbortSignal;
}

export interface RateLimit {
  /** Sustained requests per second the vendor documents (or a safe reading of it). */
  requestsPerSecond: number;
  /** Requests allowed at once above the sustained rate. */
  burst: number;
}

export interface ConnectorDefinition<
  Id extends string = string,
  Schema extends z.ZodObject = z.ZodObject,
  C extends CapabilityName = CapabilityName,
> {
  id: Id;
  category: ConnectorCategory;
  title: string;
  description: string;
  /** Link to the vendor API documentation the client and simulator follow. */
  docsUrl: string;
  /** Directions a connection of this kind may be configured for. */
  directions: ConnectionDirection[];
  /** Secret fields are marked with `secret()` (see config-schema.ts). */
  configSchema: Schema;
  capabilities: readonly C[];
  rateLimit: RateLimit;
  create(ctx: ConnectorContext<z.infer<Schema>>): ConnectorInstance<C>;
}

/** Every capability's interface at once; `Partial` of it is what an erased instance may have. */
export type AllCapabilities = UnionToIntersection<ConnectorCapabilities[CapabilityName]>;

/** The methods each capability adds to an instance (the conformance suite checks a definition declares honestly). */
export const CAPABILITY_METHODS = {
  check: ['check'],
  readPeople: ['readPeople'],
  readDepartments: ['readDepartments'],
  listAccounts: ['listAccounts', 'findAccount'],
  listGroups: ['listGroups'],
  writeAccounts: ['createAccount', 'updateAccount', 'disableAccount', 'deleteAccount'],
  writeDepartments: ['upsertDepartment', 'deleteDepartment'],
  writeGroupMembers: ['setGroupMembers'],
  writeEmployeeRecords: ['upsertEmployeeRecord'],
  verifyWebhook: ['verifyWebhook'],
} as const satisfies { [K in CapabilityName]: readonly (keyof ConnectorCapabilities[K])[] };

/** An instance whose capabilities are known only at run time (opened from a Connection row). */
export type AnyConnectorInstance = Checkable & Partial<AllCapabilities> & { close?(): Promise<void> };

/**
 * Any connector definition with its config and capability types erased: what the registry holds and what
 * lookups by id return. Every `ConnectorDefinition<Id, …>` is assignable to `RegisteredConnector<Id>`.
 */
export interface RegisteredConnector<Id extends string = string> extends Omit<
  ConnectorDefinition<Id>,
  'create' | 'capabilities'
> {
  capabilities: readonly CapabilityName[];
  /** Call with a config parsed by `configSchema` (see open-connector.ts); erased here, hence `never`. */
  create(ctx: ConnectorContext<never>): AnyConnectorInstance;
}

/** Makes a definition with its types checked where it is written: `defineConnector({ … })`. */
export function defineConnector<Id extends string, Schema extends z.ZodObject, C extends CapabilityName>(
  definition: ConnectorDefinition<Id, Schema, C>,
): ConnectorDefinition<Id, Schema, C> {
  return definition;
}
