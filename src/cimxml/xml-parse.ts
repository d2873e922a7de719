/**
 * Safe XML reading for requests: wellformed.ts first refuses DOCTYPE and ENTITY declarations
 * (no external entities, no entity expansion), checks well-formedness and bounds nesting
 * depth and element count in one pass; then fast-xml-parser parses with its
 * order-preserving form. Entity and character references are decoded here, strictly (the
 * five XML entities and numeric references only), and the result is a small element tree
 * (XNode) that the per-element decoders walk.
 */
import { XMLParser } from 'fast-xml-parser';
import { ProtocolError, notValid } from './errors.js';
import { checkMarkup } from './wellformed.js';

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
  commentPropName: false, // comments are dropped by the parser itself
  cdataPropName: '#cdata',
  allowBooleanAttributes: false,
  jPath: false, // no path strings built per tag (nothing here matches on paths)
});

function notWellFormed(detail: string): ProtocolError {
  return new ProtocolError(400, 'request-not-well-formed', detail);
}

/**
 * Parsed documents by their exact text, for clients that send the same bytes again (sblim
 * wbemcli sends MESSAGE ID="4711" on every request, so a polled operation is byte-identical
 * each time). A hit is the same frozen tree the first parse built: parsing is a pure function
 * of the text and the limits, so nothing a client can observe changes. Bounded in entries and
 * in the size of a document kept; the oldest entry goes first. Errors are never kept.
 */
export class DocumentCache {
  private readonly map = new Map<string, XNode>();
  constructor(
    readonly maxEntries = 256,
    readonly maxTextLength = 8 * 1024,
    readonly limits: XmlLimits = DEFAULT_XML_LIMITS,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(text: string): XNode | undefined {
    return text.length <= this.maxTextLength ? this.map.get(text) : undefined;
  }

  set(text: string, root: XNode): void {
    if (text.length > this.maxTextLength || this.maxEntries <= 0) return;
    if (this.map.size >= this.maxEntries) this.map.delete(this.map.keys().next().value!);
    this.map.set(text, deepFreeze(root));
  }
}

/**
 * Where a request's message ID stands when it opens the document: an optional XML
 * declaration, `<CIM ...>`, then `<MESSAGE ID="...` with ID as the first attribute (wbemcli,
 * pywbem and cimcli all write it so). Nothing before it can be a comment or another element.
 */
const MESSAGE_ID = /^\s*(?:<\?xml[^<>]*\?>\s*)?<CIM\s[^<>]*>\s*<MESSAGE\s+ID="([^"<&]*)"/;

/** A parsed request and the MESSAGE ID its own text carries (the tree may hold another's). */
export interface ParsedRequest {
  root: XNode;
  /** Set when the tree came through the ID-blind key: the ID of this text, to be used instead of the tree's. */
  messageId?: string;
}

/**
 * parseXml for request documents: with a cache, documents that differ only in their MESSAGE
 * ID (clients that count their messages, such as pywbem) share one tree, the key being the
 * text without the ID's value. The ID is plain text there (no `&`, `<` or `"`), so the two
 * texts are equally well-formed and parse alike but for that attribute, which the caller
 * takes from `messageId`.
 */
export function parseRequestXml(text: string, limits: XmlLimits = DEFAULT_XML_LIMITS, cache?: DocumentCache): ParsedRequest {
  const m = cache !== undefined && cache.limits === limits ? MESSAGE_ID.exec(text) : null;
  if (!m) return { root: parseXml(text, limits, cache) };
  const idEnd = m[0].length - 1;
  const key = text.slice(0, idEnd - m[1].length) + '\u0000' + text.slice(idEnd);
  let root = cache!.get(key);
  if (!root) {
    root = parseFresh(text, limits);
    cache!.set(key, root);
  }
  return { root, messageId: m[1] };
}

function deepFreeze(n: XNode): XNode {
  for (const c of n.children) deepFreeze(c);
  Object.freeze(n.attrs);
  Object.freeze(n.children);
  return Object.freeze(n);
}

/**
 * Parses one XML document into its root element. With a cache (made for these limits), a
 * document seen before is answered from it; trees from a cache are frozen.
 */
export function parseXml(text: string, limits: XmlLimits = DEFAULT_XML_LIMITS, cache?: DocumentCache): XNode {
  const useCache = cache !== undefined && cache.limits === limits;
  if (useCache) {
    const hit = cache.get(text);
    if (hit) return hit;
  }
  const root = parseFresh(text, limits);
  if (useCache) cache.set(text, root);
  return root;
}

function parseFresh(text: string, limits: XmlLimits): XNode {
  checkMarkup(text, limits); // well-formedness and limits; fast-xml-parser itself is lenient
  let raw: unknown[];
  try {
    raw = parser.parse(text) as unknown[];
  } catch (e) {
    throw notWellFormed(e instanceof Error ? e.message : String(e));
  }
  const roots: XNode[] = [];
  for (const item of raw) {
    const n = convert(item as Record<string, unknown>, 1, limits);
    if (n && typeof n !== 'string') roots.push(n);
  }
  if (roots.length !== 1) throw notWellFormed(`expected one root element, found ${roots.length}`);
  return roots[0];
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
  // the parser's own attribute object (fresh per document) is kept, its values decoded in place
  const rawAttrs = item[':@'] as Record<string, unknown> | undefined;
  if (rawAttrs) {
    for (const k in rawAttrs) {
      const v = rawAttrs[k];
      if (typeof v !== 'string' || v.indexOf('&') !== -1) rawAttrs[k] = decodeEntities(String(v));
    }
  }
  const node: XNode = { name, attrs: (rawAttrs as Record<string, string> | undefined) ?? {}, children: [], text: '' };
  for (const child of item[name] as Array<Record<string, unknown>>) {
    const c = convert(child, depth + 1, limits);
    if (typeof c === 'string') node.text += c;
    else if (c) node.children.push(c);
  }
  return node;
}

const ENTITY = /&([^;&]*)(;?)/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and numeric character references; anything else is refused. */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') === -1) return s;
  return s.replace(ENTITY, (whole, ref: string, semi: string) => {
    if (!semi || ref === '') throw notWellFormed(`bad reference ${JSON.stringify(whole.slice(0, 20))}`);
    if (ref[0] !== '#') {
      const v = NAMED[ref];
      if (v === undefined) throw notWellFormed(`undeclared entity &${ref.slice(0, 20)};`);
      return v;
    }
    const m = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(ref);
    if (!m) throw notWellFormed(`bad character reference &${ref.slice(0, 20)};`);
    const cp = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2], 10);
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
