import { SamlMessageRejected } from '../../xml/safe-xml.js';
import { verifyEnvelopedSignature, verifyRedirectSignature } from '../../xml/verify-signature.js';
import type { AuthnRequestCheck } from '../authn-request-context.js';

/**
 * When the SP registered `wantAuthnRequestsSigned` (metadata §2.4.4 WantAuthnRequestsSigned), the request must be
 * signed with its registered certificate: in the query for HTTP-Redirect (bindings §3.4.4.1), enveloped for
 * HTTP-POST (core §5). A signature that is present is always verified, required or not.
 */
export const checkRequestSignature: AuthnRequestCheck = (ctx) => {
  const sp = ctx.sp;
  if (!sp) throw new SamlMessageRejected('signature', 'issuer not resolved');
  const required = sp.saml.wantAuthnRequestsSigned === true;
  const certificate = sp.saml.certificate;
  const signedInQuery = ctx.message.redirectSignature !== undefined;
  const signedInXml =
    ctx.root.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature').length > 0;
  if (!signedInQuery && !signedInXml) {
    if (required)
      throw new SamlMessageRejected(
        'signature',
        `${sp.slug} requires signed requests; this one is not signed`,
      );
    return;
  }
  if (!certificate) {
    if (required)
      throw new SamlMessageRejected(
        'signature',
        `${sp.slug} requires signed requests but has no certificate`,
      );
    return;
  }
  if (ctx.message.binding === 'redirect') {
    if (signedInXml && !signedInQuery)
      throw new SamlMessageRejected(
        'signature',
        'HTTP-Redirect requests are signed in the query, not the XML',
      );
    verifyRedirectSignature(ctx.message, [certificate]);
  } else {
    verifyEnvelopedSignature(ctx.message.xml, ctx.root, [certificate]);
  }
};
