import { createHash, randomBytes } from 'node:crypto';
import type { PersonAppView } from '../../../access/person-app-view.js';
import { NAMEID_FORMAT } from '../saml-constants.js';

/**
 * The subject an SP sees (core §8.3). `persistent` is pairwise: a stable opaque value per person and SP, so two SPs
 * cannot join their records on it (§8.3.7); `transient` is new every time; `emailAddress` is the directory email.
 */
export function nameIdFor(format: string, person: PersonAppView, spEntityId: string): string {
  switch (format) {
    case NAMEID_FORMAT.transient:
      return `_${randomBytes(20).toString('hex')}`;
    case NAMEID_FORMAT.emailAddress:
      if (!person.email) throw new Error('person has no email for an emailAddress NameID');
      return person.email;
    case NAMEID_FORMAT.unspecified:
      return person.id;
    default:
      return createHash('sha256')
        .update(`junction-saml-persistent\0${spEntityId}\0${person.id}`)
        .digest('base64url');
  }
}
