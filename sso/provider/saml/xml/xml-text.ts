// eslint-disable-next-line no-control-regex -- matching the control characters XML 1.0 forbids is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** XML text / attribute escaping for messages built as strings (XML 1.0 §2.4, §3.3.3). */
export function xmlEscape(value: string): string {
  return (
    value
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // Characters XML 1.0 does not allow at all (§2.2 Char).
      .replace(XML_FORBIDDEN, '')
  );
}

/** SAML IDs are xs:ID (NCName): must not start with a digit; 160 random bits (core §1.3.4). */
export function samlId(random: Buffer): string {
  return `_${random.toString('hex')}`;
}

/** xs:dateTime in UTC without fractional noise (core §1.3.3). */
export function samlInstant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** PEM certificate → the bare base64 body ds:X509Certificate carries. */
export function certificateBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/** Bare base64 or PEM → PEM. */
export function certificatePem(value: string): string {
  const body = certificateBody(value);
  return `-----BEGIN CERTIFICATE-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}
