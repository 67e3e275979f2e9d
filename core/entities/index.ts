import { Account } from './account.js';
import { AdminGrant } from './admin-grant.js';
import { ApiToken } from './api-token.js';
import { Application } from './application.js';
import { Approval } from './approval.js';
import { AuditEvent } from './audit-event.js';
import { Connection } from './connection.js';
import { Department } from './department.js';
import { Entitlement } from './entitlement.js';
import { ExpiringEntry } from './expiring-entry.js';
import { Group } from './group.js';
import { GroupMembership } from './group-membership.js';
import { Identity } from './identity.js';
import { IdentityProvider } from './identity-provider.js';
import { LocalCredential } from './local-credential.js';
import { OidcPayload } from './oidc-payload.js';
import { Person } from './person.js';
import { Role } from './role.js';
import { RoleAssignment } from './role-assignment.js';
import { RoleRule } from './role-rule.js';
import { SigningKey } from './signing-key.js';
import { SsoSession } from './sso-session.js';
import { SyncEvent } from './sync-event.js';
import { SyncRun } from './sync-run.js';
import { Tenant } from './tenant.js';
import { TargetRecord } from './target-record.js';
import { TenantDomain } from './tenant-domain.js';
import { WebauthnCredential } from './webauthn-credential.js';

export {
  Account,
  AdminGrant,
  ApiToken,
  Application,
  Approval,
  AuditEvent,
  Connection,
  Department,
  Entitlement,
  ExpiringEntry,
  Group,
  GroupMembership,
  Identity,
  IdentityProvider,
  LocalCredential,
  OidcPayload,
  Person,
  Role,
  RoleAssignment,
  RoleRule,
  SigningKey,
  SsoSession,
  SyncEvent,
  SyncRun,
  TargetRecord,
  Tenant,
  TenantDomain,
  WebauthnCredential,
};

/** Every entity, for the DataSource. Adding an entity means adding it here (and generating a migration). */
export const ENTITIES = [
  Account,
  AdminGrant,
  ApiToken,
  Application,
  Approval,
  AuditEvent,
  Connection,
  Department,
  Entitlement,
  ExpiringEntry,
  Group,
  GroupMembership,
  Identity,
  IdentityProvider,
  LocalCredential,
  OidcPayload,
  Person,
  Role,
  RoleAssignment,
  RoleRule,
  SigningKey,
  SsoSession,
  SyncEvent,
  SyncRun,
  TargetRecord,
  Tenant,
  TenantDomain,
  WebauthnCredential,
];
