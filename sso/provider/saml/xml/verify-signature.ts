import { verify as verifyRaw } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { NS, SIG_ALG } from '../saml-constants.js';
import { children, SamlMessageRejected } from './safe-xml.js';
import type { ReceivedMessage } from './received-message.js';
import { certificatePem } from './xml-text.js';

/** SHA-1 signatures are refused (XML Signature Best Practices §2.1.1; collisions are practical). */
const REDIRECT_ALGS: Record<string, string> = {
  [SIG_ALG.rsaSha256]: 'RSA-SHA256',
  [SIG_ALG.rsaSha512]: 'RSA-SHA512',
  [SIG_ALG.ecdsaSha256]: 'SHA256',
};

/** HTTP-Redirect binding signature (bindings §3.4.4.1) over the query octets as received. */
export function verifyRedirectSignature(message: ReceivedMessage, certificates: readonly string[]): void {
  const sig = message.redirectSignature;
  if (!sig) throw new SamlMessageRejected('signature', 'the message is not signed');
  const algorithm = REDIRECT_ALGS[sig.sigAlg];
  if (!algorithm)
    throw new SamlMessageRejected('signature', `signature algorithm ${sig.sigAlg} is not accepted`);
  const ok = certificates.some((cert) => {
    try {
      return verifyRaw(algorithm, Buffer.from(sig.signedOctets), certificatePem(cert), sig.signature);
    } catch {
      return false;
    }
  });
  if (!ok)
    throw new SamlMessageRejected(
      'signature',
      'query signature does not verify with the registered certificate',
    );
}

/**
 * An enveloped XML signature on `element` (SAML core §5.4): exactly one ds:Signature as its direct child, one
 * reference, and that reference names `element` by its ID — so a signature over some other, wrapped element can
 * never vouch for the one we read (XML signature wrapping).
 */
export function verifyEnvelopedSignature(
  xml: string,
  element: Element,
  certificates: readonly string[],
): void {
  const signatures = children(element, NS.dsig, 'Signature');
  if (signatures.length !== 1) {
    throw new SamlMessageRejected(
      'signature',
      `expected one enveloped signature on ${element.localName}, found ${signatures.length}`,
    );
  }
  const id = element.getAttribute('ID');
  if (!id) throw new SamlMessageRejected('signature', `${element.localName} has no ID to sign`);
  const signature = signatures[0] as Element;
  const method = signature.getElementsByTagNameNS(NS.dsig, 'SignatureMethod')[0]?.getAttribute('Algorithm');
  if (method === SIG_ALG.rsaSha1 || !method || !Object.keys(REDIRECT_ALGS).includes(method)) {
    throw new SamlMessageRejected('signature', `signature algorithm ${String(method)} is not accepted`);
  }
  const references = signature.getElementsByTagNameNS(NS.dsig, 'Reference');
  if (references.length !== 1 || references[0]?.getAttribute('URI') !== `#${id}`) {
    throw new SamlMessageRejected('signature', `the signature does not reference ${element.localName} ${id}`);
  }
  for (const cert of certificates) {
    const verifier = new SignedXml({ publicCert: certificatePem(cert) });
    verifier.loadSignature(signature.toString());
    try {
      if (verifier.checkSignature(xml)) return;
    } catch {
      // try the next certificate (key rollover)
    }
  }
  throw new SamlMessageRejected(
    'signature',
    `the signature on ${element.localName} does not verify with the registered certificate`,
  );
}
