import { SamlMessageRejected } from '../../xml/safe-xml.js';
import type { AuthnRequestCheck } from '../authn-request-context.js';

/** Profiles §4.1.4.1: the request MUST carry an Issuer; it must name an enabled SAML app registered in Junction. */
export const checkRequestIssuer: AuthnRequestCheck = async (ctx) => {
  const issuer = ctx.request.issuer;
  if (!issuer) throw new SamlMessageRejected('issuer', 'the request has no Issuer');
  const app = await ctx.applications.byClientId(issuer);
  if (!app || app.protocol !== 'saml' || !app.saml)
    throw new SamlMessageRejected('issuer', `no SAML app registered as ${issuer}`);
  if (!app.enabled) throw new SamlMessageRejected('issuer', `app ${app.slug} is disabled`);
  ctx.sp = { ...app, saml: app.saml };
};
