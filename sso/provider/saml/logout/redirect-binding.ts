import { sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { SIG_ALG } from '../saml-constants.js';

/**
 * A SAML message sent over HTTP-Redirect (bindings §3.4.4): DEFLATE, base64, URL-encoded, and signed in the query
 * with RSA-SHA256 over `param=…&RelayState=…&SigAlg=…` (§3.4.4.1). Returns the URL to send the browser to.
 */
export function redirectBindingUrl(input: {
  destination: string;
  param: 'SAMLRequest' | 'SAMLResponse';
  xml: string;
  relayState: string | undefined;
  privateKeyPem: string;
}): string {
  const parts = [
    `${input.param}=${encodeURIComponent(deflateRawSync(Buffer.from(input.xml)).toString('base64'))}`,
  ];
  if (input.relayState !== undefined) parts.push(`RelayState=${encodeURIComponent(input.relayState)}`);
  parts.push(`SigAlg=${encodeURIComponent(SIG_ALG.rsaSha256)}`);
  const octets = parts.join('&');
  const signature = sign('RSA-SHA256', Buffer.from(octets), input.privateKeyPem).toString('base64');
  const url = new URL(input.destination);
  return `${url.origin}${url.pathname}${url.search ? `${url.search}&` : '?'}${octets}&Signature=${encodeURIComponent(signature)}`;
}
