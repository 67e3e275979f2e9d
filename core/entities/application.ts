import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { Tenant } from './tenant.js';

export type ApplicationProtocol = 'oidc' | 'saml';

export interface OidcClientSettings {
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  grantTypes?: string[];
  /** Public clients (SPAs, native apps) have no secret and must use PKCE. */
  public?: boolean;
  backchannelLogoutUri?: string;
  tokenEndpointAuthMethod?: string;
  scopes?: string[];
}

export interface SamlServiceProviderSettings {
  entityId: string;
  acsUrl: string;
  sloUrl?: string;
  /** PEM certificate the SP signs requests with; also used to encrypt assertions when `encryptAssertions`. */
  certificate?: string;
  nameIdFormat?: string;
  signAssertions?: boolean;
  signResponses?: boolean;
  encryptAssertions?: boolean;
  wantAuthnRequestsSigned?: boolean;
  /** IdP-initiated sign-in (from the launcher) is off unless the SP says it accepts unsolicited responses. */
  allowIdpInitiated?: boolean;
  /** URLs (or URL prefixes ending in `/`) a RelayState may name in an IdP-initiated sign-in. */
  relayStateUrls?: string[];
}

/** A downstream app that trusts Junction for sign-in (an OIDC client or a SAML SP). */
@Entity({ name: 'applications' })
@Index(['tenantId', 'slug'], { unique: true })
export class Application extends BaseRecord {
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  @Column({ type: 'varchar', length: 63 })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 8 })
  protocol!: ApplicationProtocol;

  /** OIDC client_id, or the SAML SP entity id; unique across Junction. */
  @Column({ type: 'varchar', length: 512, unique: true })
  clientId!: string;

  /** OIDC client secret sealed by the vault (oidc-provider needs the value to verify client_secret_jwt). */
  @Column({ type: 'text', nullable: true })
  clientSecretSealed!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  oidc!: OidcClientSettings | null;

  @Column({ type: 'jsonb', nullable: true })
  saml!: SamlServiceProviderSettings | null;

  /** Which person fields and grants become claims / SAML attributes, keyed by claim name. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  claimMappings!: Record<string, string>;

  /** Where the launcher tile points (the app's own login-initiation URL). */
  @Column({ type: 'varchar', length: 2048, nullable: true })
  launchUrl!: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  iconUrl!: string | null;

  /** When true everyone in the tenant may sign in; otherwise only people with an entitlement to the app. */
  @Column({ type: 'boolean', default: false })
  openToAll!: boolean;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;
}
