import { BINDING, NS, SUPPORTED_NAMEID_FORMATS, samlUrls } from './saml-constants.js';
import { certificateBody, xmlEscape as x } from './xml/xml-text.js';

/**
 * IdP metadata (SAML metadata §2.4.3 IDPSSODescriptor): every published signing certificate (the active one and
 * any retiring during rotation, so SPs that refresh metadata accept both), SSO and SLO endpoints for the
 * HTTP-Redirect and HTTP-POST bindings, the NameID formats we issue, and WantAuthnRequestsSigned=false (signing is
 * required per SP, by its registration).
 */
export function idpMetadata(publicUrl: string, certificates: readonly string[]): string {
  const urls = samlUrls(publicUrl);
  const keys = certificates
    .map(
      (cert) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificateBody(cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('');
  const endpoints = (element: string, location: string): string =>
    [BINDING.redirect, BINDING.post]
      .map((b) => `<md:${element} Binding="${b}" Location="${x(location)}"/>`)
      .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<md:EntityDescriptor xmlns:md="${NS.metadata}" xmlns:ds="${NS.dsig}" entityID="${x(urls.entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="${NS.protocol}">` +
    keys +
    endpoints('SingleLogoutService', urls.slo) +
    SUPPORTED_NAMEID_FORMATS.map((f) => `<md:NameIDFormat>${f}</md:NameIDFormat>`).join('') +
    endpoints('SingleSignOnService', urls.sso) +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}
