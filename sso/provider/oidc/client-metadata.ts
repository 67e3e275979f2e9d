import type { ClientMetadata } from 'oidc-provider';
import type { Application } from '../../../core/entities/application.js';
import type { Vault } from '../../../core/vault/vault.js';

/** Vault context for an application's client secret: binds the ciphertext to this row. */
export const clientSecretContext = (applicationId: string): string =>
  `application:${applicationId}:client-secret`;

export type ApplicationRecord = Pick<
  Application,
  'id' | 'name' | 'protocol' | 'clientId' | 'clientSecretSealed' | 'oidc' | 'enabled'
>;

/**
 * An Application row as oidc-provider client metadata (RFC 7591 §2 names). Public clients authenticate with
 * `none` and must use PKCE (see `pkce.required`); only the `code` response type exists (no implicit flow).
 */
export function toClientMetadata(app: ApplicationRecord, vault: Vault): ClientMetadata | undefined {
  if (app.protocol !== 'oidc' || !app.enabled || !app.oidc) return undefined;
  const oidc = app.oidc;
  const grantTypes = oidc.grantTypes ?? ['authorization_code', 'refresh_token'];
  const isPublic = oidc.public === true;
  const metadata: ClientMetadata = {
    client_id: app.clientId,
    client_name: app.name,
    redirect_uris: oidc.redirectUris,
    post_logout_redirect_uris: oidc.postLogoutRedirectUris ?? [],
    grant_types: grantTypes,
    response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
    token_endpoint_auth_method: isPublic
      ? 'none'
      : ((oidc.tokenEndpointAuthMethod ??
          'client_secret_basic') as ClientMetadata['token_endpoint_auth_method']),
    application_type: 'web',
  };
  if (!isPublic) {
    if (!app.clientSecretSealed) return undefined;
    metadata.client_secret = vault.open(app.clientSecretSealed, clientSecretContext(app.id));
  }
  if (oidc.backchannelLogoutUri) {
    metadata.backchannel_logout_uri = oidc.backchannelLogoutUri;
    metadata.backchannel_logout_session_required = true;
  }
  if (oidc.scopes?.length) metadata.scope = oidc.scopes.join(' ');
  return metadata;
}
