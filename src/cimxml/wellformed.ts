/**
 * One linear pass over a request body before fast-xml-parser sees it (that parser repairs
 * broken markup silently, so it cannot be the judge): element names balance, attributes are
 * `name="value"` or `name='value'` without duplicates or `<` in values, comments and CDATA
 * are closed, at most one root element with only whitespace around it, and the nesting depth
 * and element count stay within limits. DOCTYPE and ENTITY declarations are refused outright
 * (no external entities, no entity expansion). Entity references are checked later, when
 * text is decoded.
 */
import { ProtocolError, notValid } from './errors.js';

export interface MarkupLimits {
  maxDepth: number;
  maxElements: number;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*$/;
/** Characters that end an element name in a start tag (ASCII `\s`, `/` and `>`; others are tested with `\s`). */
const NAME_END: boolean[] = [];
for (const c of ' \t\n\r\v\f/>') NAME_END[c.charCodeAt(0)] = true;
const ATTRS = /\s+([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("[^"<]*"|'[^'<]*')/y;

function notWellFormed(detail: string): ProtocolError {
  return new ProtocolError(400, 'request-not-well-formed', detail);
}

/** Throws a ProtocolError unless the text is one well-formed element within the limits. */
export function checkMarkup(text: string, limits: MarkupLimits): void {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw notValid('DOCTYPE and ENTITY declarations are not accepted');
  const stack: string[] = [];
  let count = 0;
  let roots = 0;
  let pos = 0;
  for (;;) {
    const lt = text.indexOf('<', pos);
    if (stack.length === 0 && text.slice(pos, lt === -1 ? text.length : lt).trim() !== '') {
      throw notWellFormed('text outside the root element');
    }
    if (lt === -1) break;
    const c1 = text.charCodeAt(lt + 1);
    if (c1 === 0x3f /* ? */) {
      if (roots > 0 || stack.length > 0) throw notWellFormed('processing instruction inside the document');
      pos = closeAt(text, '?>', lt, 'processing instruction');
    } else if (c1 === 0x21 /* ! */ && text.startsWith('<!--', lt)) {
      pos = closeAt(text, '-->', lt, 'comment');
    } else if (c1 === 0x21 && text.startsWith('<![CDATA[', lt)) {
      if (stack.length === 0) throw notWellFormed('CDATA outside the root element');
      pos = closeAt(text, ']]>', lt, 'CDATA section');
    } else if (c1 === 0x2f /* / */) {
      const gt = text.indexOf('>', lt);
      if (gt === -1) throw notWellFormed('unterminated end tag');
      const name = text.slice(lt + 2, gt).trim();
      const open = stack.pop();
      if (open !== name) throw notWellFormed(open ? `</${name}> closes <${open}>` : `</${name}> closes nothing`);
      pos = gt + 1;
    } else {
      pos = startTag(text, lt, stack);
      count++;
      if (stack.length === 0 || (stack.length === 1 && text[pos - 2] !== '/')) roots++;
      if (roots > 1) throw notWellFormed('more than one root element');
      if (stack.length > limits.maxDepth) throw notValid(`elements nested deeper than ${limits.maxDepth}`);
      if (count > limits.maxElements) throw notValid(`more than ${limits.maxElements} elements`);
    }
  }
  if (stack.length) throw notWellFormed(`<${stack[stack.length - 1]}> is not closed`);
  if (roots === 0) throw notWellFormed('no root element');
}

function closeAt(text: string, end: string, from: number, what: string): number {
  const at = text.indexOf(end, from + 2);
  if (at === -1) throw notWellFormed(`unterminated ${what}`);
  return at + end.length;
}

/** Attribute names of the start tag being read (one scan at a time: reused). */
const SEEN: string[] = [];

function isSpace(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || (c > 0x7f || c === 0x0b || c === 0x0c ? /\s/.test(text[i]) : false);
}

/** Reads `<name attr="v" ...>` or `<name .../>` at lt; pushes open elements; returns the position after it. */
function startTag(text: string, lt: number, stack: string[]): number {
  let i = lt + 1;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 ? NAME_END[c] : /\s/.test(text[i])) break;
  }
  const name = text.slice(lt + 1, i);
  if (!NAME.test(name)) throw notWellFormed(`bad element name ${JSON.stringify(name.slice(0, 40))}`);
  const seen = SEEN;
  seen.length = 0;
  ATTRS.lastIndex = i;
  for (let m = ATTRS.exec(text); m; m = ATTRS.exec(text)) {
    if (seen.includes(m[1])) throw notWellFormed(`attribute ${m[1]} repeated on <${name}>`);
    seen.push(m[1]);
    i = ATTRS.lastIndex;
  }
  while (i < text.length && isSpace(text, i)) i++;
  if (text.charCodeAt(i) === 0x2f && text.charCodeAt(i + 1) === 0x3e) return i + 2;
  if (text[i] !== '>') throw notWellFormed(`malformed start tag <${name}>`);
  stack.push(name);
  return i + 1;
}
