import { DOMParser, type Document, type Element } from '@xmldom/xmldom';

export class SamlMessageRejected extends Error {
  constructor(
    readonly check: string,
    message: string,
  ) {
    super(`${check}: ${message}`);
    this.name = 'SamlMessageRejected';
  }
}

const MAX_XML_BYTES = 256 * 1024;

/**
 * Parses a SAML message. DTDs are refused outright (no XXE, no entity expansion bombs — SAML messages never need
 * them), as are oversized documents and anything xmldom reports as malformed.
 */
export function parseSamlXml(xml: string): Document {
  if (xml.length > MAX_XML_BYTES)
    throw new SamlMessageRejected('format', `message larger than ${MAX_XML_BYTES} bytes`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw new SamlMessageRejected('format', 'DTDs are not allowed in SAML messages');
  const problems: string[] = [];
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') problems.push(String(message));
      },
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    throw new SamlMessageRejected(
      'format',
      `malformed XML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (problems.length > 0 || !doc.documentElement) {
    throw new SamlMessageRejected('format', `malformed XML: ${problems[0] ?? 'no root element'}`);
  }
  return doc;
}

/** The root element of a parsed message (parseSamlXml guarantees there is one). */
export function rootOf(doc: Document): Element {
  const root = doc.documentElement;
  if (!root) throw new SamlMessageRejected('format', 'no root element');
  return root;
}

/** Direct children of `parent` with this namespace and local name. */
export function children(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1) {
      const el = node as Element;
      if (el.namespaceURI === ns && el.localName === localName) out.push(el);
    }
  }
  return out;
}

export function child(parent: Element, ns: string, localName: string): Element | undefined {
  return children(parent, ns, localName)[0];
}

/** Every element in the document with this namespace and local name, however deep. */
export function descendants(doc: Document | Element, ns: string, localName: string): Element[] {
  return Array.from(doc.getElementsByTagNameNS(ns, localName));
}

export function textOf(el: Element | undefined): string | undefined {
  const text = el?.textContent?.trim();
  return text === undefined || text === '' ? undefined : text;
}
