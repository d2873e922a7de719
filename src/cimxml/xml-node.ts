/**
 * The one node checker every per-element decoder goes through: the element has the expected
 * name, its required attributes, only allowed child elements (each decoder then takes them
 * in DTD order) and no stray character data. Whitespace between elements is always allowed.
 * Unknown attributes are ignored (clients add vendor attributes); failures are 400
 * request-not-valid (DSP0200 section 1.5 of cim-xml-protocol.md).
 */
import { notValid } from './errors.js';
import type { XNode } from './xml-parse.js';

export interface ElementRule {
  required?: readonly string[];
  /** Allowed child element names; omitted = no children. */
  children?: readonly string[];
  /** Character data allowed (#PCDATA). */
  text?: boolean;
}

const NO_CHILDREN: readonly string[] = [];

/** Checks a node against its DTD rule and returns it (for chaining). */
export function checkNode(n: XNode, name: string, rule: ElementRule): XNode {
  if (n.name !== name) throw notValid(`expected <${name}>, found <${n.name}>`);
  if (rule.required) {
    for (const a of rule.required) {
      if (n.attrs[a] === undefined) throw notValid(`<${name}> lacks the ${a} attribute`);
    }
  }
  const allowed = rule.children ?? NO_CHILDREN;
  for (const c of n.children) {
    if (!allowed.includes(c.name)) throw notValid(`<${c.name}> is not allowed in <${name}>`);
  }
  if (!rule.text && n.text !== '' && !isBlank(n.text)) throw notValid(`text is not allowed in <${name}>`);
  return n;
}

function isBlank(s: string): boolean {
  return /^[ \t\r\n]*$/.test(s);
}

/** The single child the DTD requires (`(A | B)`); error when none or several. */
export function onlyChild(n: XNode): XNode {
  if (n.children.length !== 1) throw notValid(`<${n.name}> needs exactly one child element, found ${n.children.length}`);
  return n.children[0];
}

/** The child the DTD allows at most once (`(A | B)?`). */
export function optionalChild(n: XNode): XNode | undefined {
  if (n.children.length > 1) throw notValid(`<${n.name}> allows one child element, found ${n.children.length}`);
  return n.children[0];
}

/** Children split at the first one not named in `leading` (e.g. QUALIFIER* before the rest). */
export function splitLeading(n: XNode, leading: string): [XNode[], XNode[]] {
  let i = 0;
  while (i < n.children.length && n.children[i].name === leading) i++;
  const rest = n.children.slice(i);
  if (rest.some((c) => c.name === leading)) throw notValid(`<${leading}> out of order in <${n.name}>`);
  return [n.children.slice(0, i), rest];
}

/** An attribute holding `true`/`false` (any case), or the DTD default when absent. */
export function boolAttr(n: XNode, name: string, dflt: boolean): boolean {
  const v = n.attrs[name];
  if (v === undefined) return dflt;
  const t = v.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  throw notValid(`${name}="${v}" on <${n.name}> is not true or false`);
}

/** An attribute with either spelling (EmbeddedObject / EMBEDDEDOBJECT). */
export function attrAnyCase(n: XNode, name: string): string | undefined {
  const v = n.attrs[name];
  if (v !== undefined) return v;
  const lower = name.toLowerCase();
  for (const k in n.attrs) if (k.toLowerCase() === lower) return n.attrs[k];
  return undefined;
}
