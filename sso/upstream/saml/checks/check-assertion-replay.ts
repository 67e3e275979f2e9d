import { NS } from '../../../provider/saml/saml-constants.js';
import { child, SamlMessageRejected } from '../../../provider/saml/xml/safe-xml.js';
import type { SamlResponseCheck } from '../saml-response-context.js';

/**
 * Profiles §4.1.4.5: the SP must keep the IDs of bearer assertions it accepted until they expire and refuse them
 * again. Kept in PostgreSQL, so a replay at another gateway replica is refused too.
 */
export const checkAssertionReplay: SamlResponseCheck = async ({ assertion, provider, store, now }) => {
  const id = assertion?.getAttribute('ID');
  if (!id) throw new SamlMessageRejected('replay', 'assertion has no ID');
  const conditions = assertion ? child(assertion, NS.assertion, 'Conditions') : undefined;
  const until = Date.parse(conditions?.getAttribute('NotOnOrAfter') ?? '');
  const ttl = Number.isNaN(until)
    ? 3600
    : Math.max(60, Math.ceil(until / 1000) - now + provider.config.clockSkewSeconds);
  const first = await store.putIfAbsent('saml-assertion-seen', `${provider.id}|${id}`, {}, ttl);
  if (!first) throw new SamlMessageRejected('replay', `assertion ${id} was already used`);
};
