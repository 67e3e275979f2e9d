import { NS } from '../../saml-constants.js';
import { child, SamlMessageRejected, textOf } from '../../xml/safe-xml.js';
import type { AuthnRequestCheck } from '../authn-request-context.js';

/**
 * Core §3.2.1 (RequestAbstractType) and §3.4.1: the root is samlp:AuthnRequest, Version 2.0, with an ID and an
 * IssueInstant; reads the fields later checks judge.
 */
export const checkRequestShape: AuthnRequestCheck = (ctx) => {
  const { root } = ctx;
  if (root.namespaceURI !== NS.protocol || root.localName !== 'AuthnRequest') {
    throw new SamlMessageRejected('shape', `expected samlp:AuthnRequest, got ${root.localName}`);
  }
  if (root.getAttribute('Version') !== '2.0') throw new SamlMessageRejected('shape', 'Version must be 2.0');
  const id = root.getAttribute('ID');
  if (!id || !/^[A-Za-z_][\w.-]{0,255}$/.test(id))
    throw new SamlMessageRejected('shape', 'ID missing or not an xs:ID');
  const instant = Date.parse(root.getAttribute('IssueInstant') ?? '');
  if (Number.isNaN(instant))
    throw new SamlMessageRejected('shape', 'IssueInstant missing or not an xs:dateTime');
  const policy = child(root, NS.protocol, 'NameIDPolicy');
  ctx.request = {
    id,
    issueInstant: Math.floor(instant / 1000),
    issuer: textOf(child(root, NS.assertion, 'Issuer')),
    destination: root.getAttribute('Destination') ?? undefined,
    acsUrl: root.getAttribute('AssertionConsumerServiceURL') ?? undefined,
    forceAuthn: root.getAttribute('ForceAuthn') === 'true' || root.getAttribute('ForceAuthn') === '1',
    isPassive: root.getAttribute('IsPassive') === 'true' || root.getAttribute('IsPassive') === '1',
    nameIdFormat: policy?.getAttribute('Format') ?? undefined,
  };
  const binding = root.getAttribute('ProtocolBinding');
  if (binding && binding !== 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST') {
    throw new SamlMessageRejected('shape', `response binding ${binding} is not supported (HTTP-POST only)`);
  }
};
