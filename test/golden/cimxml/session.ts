/**
 * Generated values in golden exchanges. Some answers carry values the server makes up on each
 * run: pull EnumerationContext strings and GUIDs (a defined VM's Name, ...). A GoldenSession
 * replaces them by placeholders in every response (`{{CONTEXT}}`, `{{GUID1}}`, `{{GUID2}}`, ...
 * numbered in order of first appearance) before the comparison, and puts the real values back
 * where a later request file names a placeholder (a pull uses the context its open returned),
 * fixing that request's Content-Length. The golden test and the DTD conformance test both run
 * the golden requests through one session.
 */
const CONTEXT = /<PARAMVALUE NAME="EnumerationContext"[^>]*><VALUE>([^<]+)<\/VALUE>/g;
const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;

export class GoldenSession {
  /** placeholder name -> the real value last seen */
  private readonly values = new Map<string, string>();
  /** real value -> placeholder name (GUIDs keep their number for the whole run) */
  private readonly names = new Map<string, string>();
  private guids = 0;

  /** A complete request text (headers + body) with the placeholders it names filled in. */
  request(text: string): string {
    if (!text.includes('{{')) return text;
    const sep = text.indexOf('\r\n\r\n');
    const fill = (s: string) => s.replace(/\{\{([A-Z]+[0-9]*)\}\}/g, (m, name: string) => this.values.get(name) ?? m);
    const head = fill(text.slice(0, sep));
    const body = fill(text.slice(sep + 4));
    const fixed = head.replace(/^Content-Length: \d+$/im, `Content-Length: ${Buffer.byteLength(body)}`);
    return fixed + '\r\n\r\n' + body;
  }

  /** The response text with generated values replaced by placeholders (remembered for later requests). */
  normalise(text: string): string {
    for (const m of text.matchAll(CONTEXT)) this.remember(m[1], 'CONTEXT');
    for (const m of text.matchAll(GUID)) if (!this.names.has(m[0])) this.remember(m[0], `GUID${++this.guids}`);
    let out = text;
    for (const [value, name] of this.names) out = out.split(value).join(`{{${name}}}`);
    return out;
  }

  private remember(value: string, name: string): void {
    this.values.set(name, value);
    this.names.set(value, name);
  }
}
