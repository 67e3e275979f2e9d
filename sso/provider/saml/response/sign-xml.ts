import { SignedXml } from 'xml-crypto';
import { DIGEST_SHA256, ENVELOPED, EXC_C14N, SIG_ALG } from '../saml-constants.js';

/**
 * Signs the root element `localName` of `xml` with an enveloped signature (core §5.4.1–5.4.4: exclusive c14n,
 * the reference names the element by ID), placed right after its Issuer as the schema requires, with our
 * certificate in KeyInfo. RSA-SHA256 / SHA-256.
 */
export function signEnveloped(
  xml: string,
  localName: 'Assertion' | 'Response' | 'LogoutRequest' | 'LogoutResponse',
  key: { privateKeyPem: string; certificatePem: string },
): string {
  const signer = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certificatePem,
    signatureAlgorithm: SIG_ALG.rsaSha256,
    canonicalizationAlgorithm: EXC_C14N,
  });
  signer.addReference({
    xpath: `/*[local-name(.)='${localName}']`,
    digestAlgorithm: DIGEST_SHA256,
    transforms: [ENVELOPED, EXC_C14N],
  });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `/*[local-name(.)='${localName}']/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}
