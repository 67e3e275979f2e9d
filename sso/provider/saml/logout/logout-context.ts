import type { Document, Element } from '@xmldom/xmldom';
import type { ExpiringStore } from '../../../state/expiring-store.js';
import type { ApplicationDirectory, ApplicationSummary } from '../../oidc/application-directory.js';
import type { ReceivedMessage } from '../xml/received-message.js';

/** The SAML participant record written when an assertion is issued, found again by SessionIndex at logout. */
export interface SamlParticipant {
  sessionRef: string;
  spEntityId: string;
  applicationId: string;
  nameId: string;
  nameIdFormat: string;
}

export interface LogoutRequestContext {
  message: ReceivedMessage;
  doc: Document;
  root: Element;
  sloUrl: string;
  now: number;
  applications: ApplicationDirectory;
  store: ExpiringStore;
  request: {
    id?: string;
    issuer?: string;
    destination?: string;
    nameId?: string;
    sessionIndexes: string[];
    notOnOrAfter?: number;
    issueInstant?: number;
  };
  sp?: ApplicationSummary & { saml: NonNullable<ApplicationSummary['saml']> };
  participant?: SamlParticipant;
}

export type LogoutRequestCheck = (ctx: LogoutRequestContext) => void | Promise<void>;
