/**
 * A small streaming XML writer: text accumulates in a string and is handed to a sink in
 * pieces (flush), so large enumerations go out as they are produced instead of being built
 * whole. Escaping is done here once for every text and attribute value; characters XML 1.0
 * cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD.
 */

/** Where flushed output goes; write may return a promise to apply backpressure. */
export interface Sink {
  write(chunk: string): void | Promise<void>;
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

const FLUSH_AT = 32 * 1024;

/** Elements declared EMPTY in DSP0203. */
const EMPTY_ELEMENTS = new Set(['NAMESPACE', 'CLASSNAME', 'VALUE.NULL', 'SCOPE']);

export class XmlWriter {
  private buf = '';
  constructor(private readonly sink?: Sink) {}

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
  /** Hands what has accumulated to the sink once it is large enough. */
  async maybeFlush(): Promise<void> {
    if (this.buf.length >= FLUSH_AT) await this.flush();
  }
  async flush(): Promise<void> {
    if (!this.sink || this.buf === '') return;
    const s = this.buf;
    this.buf = '';
    await this.sink.write(s);
  }
  /** Drops what has not been flushed yet (an error replaces a half-written response). */
  discard(): void {
    this.buf = '';
  }
  /** What has not been flushed (everything, for a writer without a sink). */
  text(): string {
    return this.buf;
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
