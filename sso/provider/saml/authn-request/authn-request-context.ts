import type { Document, Element } from '@xmldom/xmldom';
import type { ExpiringStore } from '../../../state/expiring-store.js';
import type { ApplicationDirectory, ApplicationSummary } from '../../oidc/application-directory.js';
import type { ReceivedMessage } from '../xml/received-message.js';

/** What the checks of one AuthnRequest share; each check reads what earlier ones filled in. */
export interface AuthnRequestContext {
  message: ReceivedMessage;
  doc: Document;
  root: Element;
  idp: { entityId: string; ssoUrl: string };
  /** Seconds since the epoch. */
  now: number;
  applications: ApplicationDirectory;
  store: ExpiringStore;
  request: {
    id?: string;
    issueInstant?: number;
    issuer?: string;
    destination?: string;
    acsUrl?: string;
    forceAuthn: boolean;
    isPassive: boolean;
    nameIdFormat?: string;
  };
  sp?: ApplicationSummary & { saml: NonNullable<ApplicationSummary['saml']> };
}

export type AuthnRequestCheck = (ctx: AuthnRequestContext) => void | Promise<void>;
