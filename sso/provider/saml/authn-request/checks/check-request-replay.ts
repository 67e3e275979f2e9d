import { SamlMessageRejected } from '../../xml/safe-xml.js';
import { MAX_REQUEST_AGE_SECONDS } from './check-request-freshness.js';
import type { AuthnRequestCheck } from '../authn-request-context.js';

/** An AuthnRequest ID is accepted once per SP for as long as the request could be fresh (core §1.3.4 uniqueness). */
export const checkRequestReplay: AuthnRequestCheck = async (ctx) => {
  const { issuer, id } = ctx.request;
  const fresh = await ctx.store.putIfAbsent(
    'saml-authn-request',
    `${issuer}|${id}`,
    {},
    MAX_REQUEST_AGE_SECONDS * 2,
  );
  if (!fresh) throw new SamlMessageRejected('replay', `request ${id} from ${issuer} was already used`);
};
