/**
 * A small streaming XML writer: markup accumulates in a short string that is sealed into a
 * UTF-8 Buffer whenever ready-made bytes are appended (bytes(): memoised encodings), and the
 * list of Buffers is handed to a sink in pieces of about 64 KB (flush), so large
 * enumerations go out as they are produced instead of being built whole, without joining
 * thousands of small strings. Escaping is done here once for every text and attribute value;
 * characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF)
 * become U+FFFD.
 */

/**
 * Where flushed output goes: the pieces of one flush, in order (whole UTF-8 sequences across
 * them; memoised encodings are passed as they are, not copied together). write may return a
 * promise to apply backpressure. The sink owns the array it is given.
 */
export interface Sink {
  write(chunks: Buffer[]): void | Promise<void>;
}

const TEXT_SPECIAL = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
const ATTR_SPECIAL = /[&<>"\t\n\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
const TEXT_ALL = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g;
const ATTR_ALL = /[&<>"\t\n\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g;

function replaceChar(c: string): string {
  switch (c) {
    case '&': return '&amp;';
    case '<': return '&lt;';
    case '>': return '&gt;';
    case '"': return '&quot;';
    case '\t': return '&#9;';
    case '\n': return '&#10;';
    case '\r': return '&#13;';
  }
  return c.length === 2 ? c : '\ufffd'; // a valid surrogate pair stays
}

/** Escapes element text (`&`, `<`, `>`, CR). */
export function escapeText(s: string): string {
  return TEXT_SPECIAL.test(s) ? s.replace(TEXT_ALL, replaceChar) : s;
}

/** Escapes an attribute value (also `"` and whitespace that attribute normalisation would eat). */
export function escapeAttr(s: string): string {
  return ATTR_SPECIAL.test(s) ? s.replace(ATTR_ALL, replaceChar) : s;
}

const FLUSH_AT = 64 * 1024;

/** Elements declared EMPTY in DSP0203. */
const EMPTY_ELEMENTS = new Set(['NAMESPACE', 'CLASSNAME', 'VALUE.NULL', 'SCOPE']);

export class XmlWriter {
  private buf = '';
  /** Sealed output not yet flushed, and its byte length. */
  private parts: Buffer[] = [];
  private size = 0;
  constructor(private readonly sink?: Sink) {}

  /** Appends ready-made UTF-8 markup (a memoised encoding). */
  bytes(b: Buffer): void {
    this.seal();
    this.parts.push(b);
    this.size += b.length;
  }
  private seal(): void {
    if (this.buf === '') return;
    const b = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    this.parts.push(b);
    this.size += b.length;
  }

  /** Appends markup that is already escaped. */
  raw(s: string): void {
    this.buf += s;
  }
  /** `<NAME a="v">` (attributes with undefined values are skipped). */
  open(name: string, attrs?: Record<string, string | undefined>): void {
    this.buf += '<' + name + (attrs ? attrText(attrs) : '') + '>';
  }
  /**
   * An element without content: `<NAME a="v"/>` for the DTD's EMPTY elements, otherwise
   * `<NAME a="v"></NAME>` (sblim's client parser wants an end tag on PROPERTY and friends).
   */
  empty(name: string, attrs?: Record<string, string | undefined>): void {
    const start = '<' + name + (attrs ? attrText(attrs) : '');
    this.buf += EMPTY_ELEMENTS.has(name) ? start + '/>' : start + '></' + name + '>';
  }
  close(name: string): void {
    this.buf += '</' + name + '>';
  }
  /** `<NAME>text</NAME>` with the text escaped. */
  textElement(name: string, text: string): void {
    this.buf += '<' + name + '>' + escapeText(text) + '</' + name + '>';
  }
  /** Whether a sink is waiting for a flush (checked before awaiting maybeFlush in loops). */
  get full(): boolean {
    return this.sink !== undefined && this.size + this.buf.length >= FLUSH_AT;
  }
  /** Hands what has accumulated to the sink once it is large enough. */
  async maybeFlush(): Promise<void> {
    if (this.full) await this.flush();
  }
  async flush(): Promise<void> {
    if (!this.sink) return;
    this.seal();
    if (this.size === 0) return;
    const parts = this.parts;
    this.discard();
    await this.sink.write(parts);
  }
  /** Drops what has not been flushed yet (an error replaces a half-written response). */
  discard(): void {
    this.buf = '';
    this.parts = [];
    this.size = 0;
  }
  /** What has not been flushed, as bytes (everything, for a writer without a sink); the writer is emptied. */
  take(): Buffer {
    this.seal();
    const out = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size);
    this.discard();
    return out;
  }
  /** What has not been flushed, as text (everything, for a writer without a sink). */
  text(): string {
    if (this.parts.length === 0) return this.buf;
    return Buffer.concat(this.parts, this.size).toString('utf8') + this.buf;
  }
}

function attrText(attrs: Record<string, string | undefined>): string {
  let s = '';
  for (const k in attrs) {
    const v = attrs[k];
    if (v !== undefined) s += ' ' + k + '="' + escapeAttr(v) + '"';
  }
  return s;
}
