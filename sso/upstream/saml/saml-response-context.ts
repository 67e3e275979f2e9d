import type { Document, Element } from '@xmldom/xmldom';
import type { ExpiringStore } from '../../state/expiring-store.js';
import type { LoadedProvider } from '../provider-config.js';

export type SamlProvider = Extract<LoadedProvider, { kind: 'saml' }>;

/**
 * One SAML Response from a subsidiary's IdP as it goes through the checks: the raw document before signature
 * verification (structure only), then the assertion node-saml verified (everything that matters is read from there).
 */
export interface SamlResponseContext {
  provider: SamlProvider;
  acsUrl: string;
  spEntityId: string;
  /** Seconds since the epoch. */
  now: number;
  store: ExpiringStore;
  doc: Document;
  root: Element;
  /** The request this browser sent (from RelayState); undefined for an unsolicited response. */
  expectedRequestId: string | undefined;
  /** Set once the signature is verified: the assertion as node-saml verified it. */
  assertion?: Element;
}

export type SamlResponseCheck = (ctx: SamlResponseContext) => void | Promise<void>;
