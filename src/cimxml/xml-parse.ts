/**
 * Safe XML reading for requests: refuses DOCTYPE and ENTITY declarations before any parsing
 * (no external entities, no entity expansion), bounds body size, nesting depth and element
 * count, checks well-formedness with fast-xml-parser's validator and parses with its
 * order-preserving form. Entity and character references are decoded here, strictly (the
 * five XML entities and numeric references only), and the result is a small element tree
 * (XNode) that the per-element decoders walk.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ProtocolError, notValid } from './errors.js';

export interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
  /** Decoded character data of this element (text and CDATA, concatenated). */
  text: string;
}

export interface XmlLimits {
  maxDepth: number;
  maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 64, maxElements: 200_000 };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
  allowBooleanAttributes: false,
});

function notWellFormed(detail: string): ProtocolError {
  return new ProtocolError(400, 'request-not-well-formed', detail);
}

/** Parses one XML document into its root element. */
export function parseXml(text: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XNode {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw notValid('DOCTYPE and ENTITY declarations are not accepted');
  prescan(text, limits);
  const v = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (v !== true) throw notWellFormed(`line ${v.err.line}: ${v.err.msg}`);
  let raw: unknown[];
  try {
    raw = parser.parse(text) as unknown[];
  } catch (e) {
    throw notWellFormed(e instanceof Error ? e.message : String(e));
  }
  const roots: XNode[] = [];
  for (const item of raw) {
    const n = convert(item as Record<string, unknown>, 1, limits);
    if (typeof n === 'string') {
      if (n.trim() !== '') throw notWellFormed('text outside the root element');
    } else if (n) roots.push(n);
  }
  if (roots.length !== 1) throw notWellFormed(`expected one root element, found ${roots.length}`);
  return roots[0];
}

/**
 * Cheap pass over the raw text before the parser sees it: element count and an upper bound
 * of the nesting depth, so hostile documents are refused without building anything.
 */
function prescan(text: string, limits: XmlLimits): void {
  let depth = 0;
  let count = 0;
  let i = text.indexOf('<');
  while (i !== -1) {
    const c = text.charCodeAt(i + 1);
    if (c === 0x2f /* / */) depth--;
    else if (c === 0x21 /* ! */) {
      const end = text.startsWith('<![CDATA[', i) ? text.indexOf(']]>', i) : text.startsWith('<!--', i) ? text.indexOf('-->', i) : i;
      if (end === -1) throw notWellFormed('unterminated CDATA section or comment');
      i = text.indexOf('<', end + 1);
      continue;
    } else if (c !== 0x3f /* ? */) {
      count++;
      depth++;
      const gt = text.indexOf('>', i);
      if (gt > 0 && text.charCodeAt(gt - 1) === 0x2f) depth--;
      if (depth > limits.maxDepth) throw notValid(`elements nested deeper than ${limits.maxDepth}`);
      if (count > limits.maxElements) throw notValid(`more than ${limits.maxElements} elements`);
    }
    i = text.indexOf('<', i + 1);
  }
}

/** One item of the ordered parser output: an element, a text run, a CDATA block or a comment. */
function convert(item: Record<string, unknown>, depth: number, limits: XmlLimits): XNode | string | undefined {
  if ('#text' in item) return decodeEntities(String(item['#text']));
  if ('#comment' in item) return undefined;
  if ('#cdata' in item) {
    const inner = item['#cdata'] as Array<Record<string, unknown>>;
    return inner.map((t) => String(t['#text'] ?? '')).join('');
  }
  if (depth > limits.maxDepth) throw notValid(`elements nested deeper than ${limits.maxDepth}`);
  let name: string | undefined;
  for (const k in item) if (k !== ':@') name = k;
  if (name === undefined) return undefined;
  const attrs: Record<string, string> = {};
  const rawAttrs = item[':@'] as Record<string, unknown> | undefined;
  if (rawAttrs) for (const k in rawAttrs) attrs[k] = decodeEntities(String(rawAttrs[k]));
  const node: XNode = { name, attrs, children: [], text: '' };
  for (const child of item[name] as Array<Record<string, unknown>>) {
    const c = convert(child, depth + 1, limits);
    if (typeof c === 'string') node.text += c;
    else if (c) node.children.push(c);
  }
  return node;
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);?/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and numeric character references; anything else is refused. */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') === -1) return s;
  return s.replace(ENTITY, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw notWellFormed(`bad reference ${JSON.stringify(whole)}`);
    if (ref[0] !== '#') {
      const v = NAMED[ref];
      if (v === undefined) throw notWellFormed(`undeclared entity &${ref};`);
      return v;
    }
    const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (!isXmlChar(cp)) throw notValid(`character reference &${ref}; is not an XML character`);
    return String.fromCodePoint(cp);
  });
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}
