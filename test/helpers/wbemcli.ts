/**
 * A small typed wrapper around sblim `wbemcli` for end-to-end tests: run it against a server
 * URL and parse what it prints (instance names, instances with `-nl -t`, method results of
 * `cm`/`cmx`). wbemcli has no query command, so ExecQuery goes as one raw CIM-XML POST over
 * node:https (DSP0200 intrinsic call), parsed here into the same shape.
 *
 * wbemcli 1.6 quirks this file absorbs (so tests read like the commands a user types):
 * - it prints string values with every backslash doubled; paths are given back with single ones;
 * - `cm` string parameters go into the XML verbatim between the quotes, and a comma ends a value,
 *   so string values (embedded instances) are XML-escaped here with `,` as `&#44;`;
 * - a reference parameter runs until a segment that looks like another parameter (`Name=`), so
 *   references are passed last, with a `Name` key first (CreateSwitchPort has a `Name` parameter),
 *   in absolute form (`host:port/ns:Class.keys`: a relative one with `/` and `:` in a key is
 *   taken for a URL), fewest key bindings first (the last segment is never checked);
 * - `cm` cannot read a VALUE.REFARRAY out parameter (AddVirtualSystemResources' NewResources):
 *   `invoke(..., { xml: true })` runs `cmx` and reads the METHODRESPONSE XML instead.
 */
import { execFile } from 'node:child_process';
import https from 'node:https';
import { XMLParser } from 'fast-xml-parser';

export type Value = string | number | boolean | null | Value[];

export interface Instance {
  /** Relative object path, e.g. `Msvm_VirtualSwitch.CreationClassName="Msvm_VirtualSwitch",Name="lab"`. */
  path: string;
  className: string;
  props: Record<string, Value>;
}

export interface MethodResult {
  rv: number;
  /** Out parameters; references as relative object paths. */
  out: Record<string, Value>;
  raw: string;
}

/** A typed method parameter: plain values, or a reference given as a relative object path. */
export type Param = { ref: string } | { refs: string[] } | string | number | boolean | string[];

export interface AssocFilter {
  assocClass?: string;
  resultClass?: string;
  role?: string;
  resultRole?: string;
}

export class WbemcliError extends Error {
  constructor(readonly args: string[], readonly output: string) {
    super(`wbemcli ${args.join(' ')}: ${output.trim().split('\n').filter((l) => l !== '*').join(' ')}`);
  }
}

/** XML text escaping for a value that wbemcli puts verbatim into the request. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

type EmbeddedProp = string | boolean | string[] | { type: string; value: string | number | boolean | null };

/** An embedded instance as CIM-XML INSTANCE text (DSP0201), the form DefineVirtualSystem and friends take. */
export function embeddedInstance(className: string, props: Record<string, EmbeddedProp>): string {
  let s = `<INSTANCE CLASSNAME="${className}">`;
  for (const [name, v] of Object.entries(props)) {
    if (Array.isArray(v)) {
      const vals = v.map((x) => `<VALUE>${xmlEscape(x)}</VALUE>`).join('');
      s += `<PROPERTY.ARRAY NAME="${name}" TYPE="string"><VALUE.ARRAY>${vals}</VALUE.ARRAY></PROPERTY.ARRAY>`;
      continue;
    }
    const [type, value] = typeof v === 'object' ? [v.type, v.value] : [typeof v === 'boolean' ? 'boolean' : 'string', v];
    const text = value === null ? '' : `<VALUE>${xmlEscape(typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value))}</VALUE>`;
    s += `<PROPERTY NAME="${name}" TYPE="${type}">${text}</PROPERTY>`;
  }
  return s + '</INSTANCE>';
}

/** Key bindings of a relative path `Class.k="v",k2=3` (values unquoted). */
export function parsePath(path: string): { className: string; keys: Record<string, string> } {
  const dot = path.indexOf('.');
  const className = dot < 0 ? path : path.slice(0, dot);
  const keys: Record<string, string> = {};
  const re = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,]*))/g;
  for (const m of (dot < 0 ? '' : path.slice(dot + 1)).matchAll(re)) keys[m[1]!] = m[2] !== undefined ? m[2].replace(/\\"/g, '"') : m[3]!;
  return { className, keys };
}

/** A relative path built from a class and keys (string keys quoted, backslashes as they are). */
export function makePath(className: string, keys: Record<string, string>): string {
  return `${className}.` + Object.entries(keys).map(([k, v]) => `${k}="${v}"`).join(',');
}

/** wbemcli prints `\` as `\\` inside quoted values; give the path back with single ones. */
function undouble(s: string): string {
  return s.replace(/\\\\/g, '\\');
}

export class Wbemcli {
  /** @param base `https://user:password@127.0.0.1:PORT`; @param ns e.g. `root/virtualization`. */
  constructor(readonly base: string, readonly ns = 'root/virtualization') {}

  /** The full wbemcli URL of a relative path or class. */
  url(path: string): string {
    return `${this.base}/${this.ns}:${path}`;
  }

  /** Runs wbemcli; throws WbemcliError when it reports an error (it does not always exit non-zero). */
  run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('wbemcli', ['-noverify', ...args], { timeout: 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        if (err || /^\* wbemcli: /m.test(stderr)) reject(new WbemcliError(args, stderr || stdout || String(err)));
        else resolve(stdout);
      });
    });
  }

  /** Strips `host:port/namespace:` (or `host/namespace:`) from a printed path. */
  private relative(printed: string): string {
    const i = printed.indexOf(`/${this.ns}:`);
    return undouble(i < 0 ? printed : printed.slice(i + this.ns.length + 2));
  }

  /** `ein`: relative paths of every instance of the class (and subclasses). */
  async names(className: string): Promise<string[]> {
    return lines(await this.run(['ein', this.url(className)])).map((l) => this.relative(l));
  }

  /** `ei -nl -t` with an optional property list. */
  async instances(className: string, props?: string[]): Promise<Instance[]> {
    return this.parseInstances(await this.run(['ei', '-nl', '-t', this.url(className), ...(props ? [props.join(',')] : [])]));
  }

  /** `gi -nl -t`; throws (CIM_ERR_NOT_FOUND in the message) when it does not exist. */
  async get(path: string, props?: string[]): Promise<Instance> {
    const all = this.parseInstances(await this.run(['gi', '-nl', '-t', this.url(path), ...(props ? [props.join(',')] : [])]));
    if (all.length !== 1) throw new Error(`gi ${path}: ${all.length} instances`);
    return { ...all[0]!, path: undouble(path) };
  }

  /** `ain` with -ac/-arc/-ar/-arr. */
  async associatorNames(path: string, f: AssocFilter = {}): Promise<string[]> {
    return lines(await this.run(['ain', ...assocArgs(f), this.url(path)])).map((l) => this.relative(l));
  }

  /** `ai -nl -t` with -ac/-arc/-ar/-arr and an optional property list. */
  async associators(path: string, f: AssocFilter = {}, props?: string[]): Promise<Instance[]> {
    return this.parseInstances(await this.run(['ai', '-nl', '-t', ...assocArgs(f), this.url(path), ...(props ? [props.join(',')] : [])]));
  }

  /** `rin` with -arc/-ar. */
  async referenceNames(path: string, f: Pick<AssocFilter, 'resultClass' | 'role'> = {}): Promise<string[]> {
    return lines(await this.run(['rin', ...assocArgs(f), this.url(path)])).map((l) => this.relative(l));
  }

  /** `ri -nl -t` with -arc/-ar. */
  async references(path: string, f: Pick<AssocFilter, 'resultClass' | 'role'> = {}, props?: string[]): Promise<Instance[]> {
    return this.parseInstances(await this.run(['ri', '-nl', '-t', ...assocArgs(f), this.url(path), ...(props ? [props.join(',')] : [])]));
  }

  /** `mi PATH Prop=value,...` (values in wbemcli syntax: strings quoted, numbers bare). */
  async modify(path: string, assignments: string): Promise<void> {
    await this.run(['mi', this.url(path), assignments]);
  }

  /**
   * `cm PATH Method.params` (or `cmx` with xml: true). Scalars first, references last (see the
   * header), each reference with its `Name` key first.
   */
  async invoke(path: string, method: string, params: Record<string, Param> = {}, o: { xml?: boolean } = {}): Promise<MethodResult> {
    const plain: string[] = [];
    const refs: { text: string; keys: number }[] = [];
    // no dots in the host part: wbemcli splits reference arrays at dots
    const hostPort = `localhost:${new URL(this.base).port}`;
    for (const [name, p] of Object.entries(params)) {
      if (typeof p === 'object' && !Array.isArray(p)) {
        const list = 'ref' in p ? [p.ref] : p.refs;
        // absolute (host:port/ns:path): a relative one whose keys hold `/` and `:` is misread
        const text = list.map((r) => `${hostPort}/${this.ns}:${nameKeyFirst(r)}`).join(',');
        refs.push({ text: `${name}=${text}`, keys: Object.keys(parsePath(list[0] ?? '').keys).length });
      } else if (typeof p === 'string') plain.push(`${name}="${xmlEscape(p).replace(/,/g, '&#44;')}"`);
      else if (Array.isArray(p)) plain.push(`${name}=${p.map((x) => `"${xmlEscape(x).replace(/,/g, '&#44;')}"`).join(',')}`);
      else plain.push(`${name}=${p}`);
    }
    // wbemcli never checks the final segment for the start of a parameter: the reference with
    // the most key bindings goes last, so a one-key reference (a RASD) is never swallowed
    refs.sort((a, b) => a.keys - b.keys);
    const spec = [...plain, ...refs.map((r) => r.text)].join(',');
    const arg = spec ? `${method}.${spec}` : method;
    const out = await this.run([o.xml ? 'cmx' : 'cm', this.url(path), arg]);
    return o.xml ? this.parseMethodXml(out) : this.parseCm(out, method);
  }

  /** Raw ExecQuery (WQL) over HTTPS: wbemcli has no query command. Returns the instances with their paths. */
  async query(wql: string): Promise<Instance[]> {
    const u = new URL(this.base);
    const nsx = this.ns.split('/').map((n) => `<NAMESPACE NAME="${n}"/>`).join('');
    const body = `<?xml version="1.0" encoding="utf-8" ?><CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="1" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="ExecQuery"><LOCALNAMESPACEPATH>${nsx}</LOCALNAMESPACEPATH><IPARAMVALUE NAME="QueryLanguage"><VALUE>WQL</VALUE></IPARAMVALUE><IPARAMVALUE NAME="Query"><VALUE>${xmlEscape(wql)}</VALUE></IPARAMVALUE></IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>`;
    const text = await new Promise<string>((resolve, reject) => {
      const req = https.request({
        host: u.hostname, port: Number(u.port), path: '/cimom', method: 'POST', rejectUnauthorized: false,
        auth: `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`,
        headers: {
          'Content-Type': 'application/xml; charset=utf-8', CIMOperation: 'MethodCall', CIMMethod: 'ExecQuery',
          CIMObject: encodeURIComponent(this.ns), CIMProtocolVersion: '1.0', 'Content-Length': Buffer.byteLength(body),
        },
      }, (res) => {
        let data = '';
        res.setEncoding('utf8').on('data', (d: string) => (data += d)).on('end', () => (res.statusCode === 200 ? resolve(data) : reject(new Error(`ExecQuery: HTTP ${res.statusCode} ${res.headers['cimerror'] ?? ''}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
    const doc = xml.parse(text);
    const rsp = doc.CIM[0].MESSAGE[0].SIMPLERSP[0].IMETHODRESPONSE[0];
    if (rsp.ERROR) throw new Error(`ExecQuery ${wql}: CIM error ${rsp.ERROR[0]['@_CODE']} ${rsp.ERROR[0]['@_DESCRIPTION'] ?? ''}`);
    const objs = rsp.IRETURNVALUE?.[0]?.['VALUE.OBJECTWITHPATH'] ?? [];
    return objs.map((o: XNode) => {
      const name = o.INSTANCEPATH[0].INSTANCENAME[0];
      const inst = o.INSTANCE[0];
      return { path: pathOfInstanceName(name), className: inst['@_CLASSNAME'], props: propsOfInstance(inst) };
    });
  }

  // ---- parsing what wbemcli prints ----

  /** `-nl -t` output: a path line, then `-Name[]#&=value` lines. */
  private parseInstances(out: string): Instance[] {
    const res: Instance[] = [];
    let cur: Instance | undefined;
    for (const line of out.split('\n')) {
      if (!line) continue;
      if (!line.startsWith('-')) {
        const path = this.relative(line.trim());
        cur = { path, className: path.slice(0, path.indexOf('.') < 0 ? undefined : path.indexOf('.')), props: {} };
        res.push(cur);
        continue;
      }
      const m = /^-(\w+)(\[\])?[#&]*=(.*)$/.exec(line);
      if (!m || !cur) continue;
      cur.props[m[1]!] = parseValue(m[3]!, m[2] !== undefined);
    }
    return res;
  }

  /** `<path> Method: RV, Name (type): value, ...` */
  private parseCm(out: string, method: string): MethodResult {
    const i = out.indexOf(` ${method}: `);
    if (i < 0) throw new Error(`cm ${method}: unexpected output ${out}`);
    const rest = out.slice(i + method.length + 3).trim();
    const m = /^(\d+)(.*)$/s.exec(rest);
    if (!m) throw new Error(`cm ${method}: no return value in ${out}`);
    const outs: Record<string, Value> = {};
    const parts = m[2]!.split(/, (?=\w+ \(\w+\): )/);
    for (const p of parts) {
      const pm = /^(?:, )?(\w+) \((\w+)\): (.*)$/s.exec(p.trim());
      if (!pm) continue;
      outs[pm[1]!] = pm[2] === 'reference' ? this.refText(pm[3]!.trim()) : parseValue(pm[3]!.trim(), false);
    }
    return { rv: Number(m[1]), out: outs, raw: out };
  }

  /** A printed reference `host/root/virtualizationClass.keys` -> `Class.keys`. */
  private refText(s: string): string {
    const i = s.indexOf(this.ns);
    return undouble(i < 0 ? s : s.slice(i + this.ns.length).replace(/^:/, ''));
  }

  private parseMethodXml(out: string): MethodResult {
    const doc = xml.parse(`<R>${out}</R>`);
    const r = doc.R[0].METHODRESPONSE[0];
    if (r.ERROR) throw new Error(`method error ${r.ERROR[0]['@_CODE']}: ${r.ERROR[0]['@_DESCRIPTION'] ?? ''}`);
    const outs: Record<string, Value> = {};
    for (const p of r.PARAMVALUE ?? []) {
      if (p['VALUE.REFERENCE']) outs[p['@_NAME']] = pathOfRef(p['VALUE.REFERENCE'][0]);
      else if (p['VALUE.REFARRAY']) outs[p['@_NAME']] = (p['VALUE.REFARRAY'][0]['VALUE.REFERENCE'] ?? []).map(pathOfRef);
      else if (p.VALUE) outs[p['@_NAME']] = text(p.VALUE[0]);
    }
    return { rv: Number(text(r.RETURNVALUE[0].VALUE[0])), out: outs, raw: out };
  }
}

function lines(s: string): string[] {
  return s.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
}

function assocArgs(f: AssocFilter): string[] {
  const a: string[] = [];
  if (f.assocClass) a.push('-ac', f.assocClass);
  if (f.resultClass) a.push('-arc', f.resultClass);
  if (f.role) a.push('-ar', f.role);
  if (f.resultRole) a.push('-arr', f.resultRole);
  return a;
}

/** Puts a `Name` key binding first (wbemcli would take a later `Name=` for a method parameter). */
function nameKeyFirst(path: string): string {
  const { className, keys } = parsePath(path);
  const entries = Object.entries(keys).sort(([a], [b]) => Number(b.toLowerCase() === 'name') - Number(a.toLowerCase() === 'name'));
  return makePath(className, Object.fromEntries(entries));
}

/**
 * One printed value: `"text"` (backslashes doubled), `TRUE`, `12`, empty = NULL; arrays comma
 * separated. wbemcli does not escape quotes inside strings, so a string array whose items hold
 * `"` and `,` (a NIC's Connection) cannot be split reliably: read those with query().
 */
function parseValue(s: string, isArray: boolean): Value {
  if (s === '') return null;
  if (!isArray) return scalar(s);
  const items: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^,]+)/g;
  for (const m of s.matchAll(re)) items.push(m[1] !== undefined ? `"${m[1]}"` : m[2]!);
  return items.map(scalar);
}

function scalar(s: string): Value {
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) return undouble(s.slice(1, -1));
  if (s === 'TRUE' || s === 'FALSE') return s === 'TRUE';
  if (/^-?\d+$/.test(s)) return Number(s);
  return s;
}

// ---- CIM-XML responses (ExecQuery, cmx) ----

type XNode = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => !name.startsWith('@_') && name !== '#text', parseTagValue: false, trimValues: false });

function text(v: XNode | string | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return String(v['#text'] ?? '');
}

function pathOfInstanceName(n: XNode): string {
  const keys: Record<string, string> = {};
  for (const kb of n.KEYBINDING ?? []) keys[kb['@_NAME']] = kb.KEYVALUE ? text(kb.KEYVALUE[0]) : '';
  return makePath(n['@_CLASSNAME'], keys);
}

function pathOfRef(r: XNode): string {
  const n = r.INSTANCEPATH?.[0]?.INSTANCENAME?.[0] ?? r.LOCALINSTANCEPATH?.[0]?.INSTANCENAME?.[0] ?? r.INSTANCENAME?.[0];
  return pathOfInstanceName(n);
}

function propsOfInstance(inst: XNode): Record<string, Value> {
  const props: Record<string, Value> = {};
  for (const p of inst.PROPERTY ?? []) props[p['@_NAME']] = p.VALUE ? typed(text(p.VALUE[0]), p['@_TYPE']) : null;
  for (const p of inst['PROPERTY.ARRAY'] ?? []) {
    props[p['@_NAME']] = p['VALUE.ARRAY'] ? (p['VALUE.ARRAY'][0].VALUE ?? []).map((v: XNode) => typed(text(v), p['@_TYPE'])) : null;
  }
  for (const p of inst['PROPERTY.REFERENCE'] ?? []) props[p['@_NAME']] = p['VALUE.REFERENCE'] ? pathOfRef(p['VALUE.REFERENCE'][0]) : null;
  return props;
}

function typed(s: string, type: string): Value {
  if (type === 'boolean') return s.toUpperCase() === 'TRUE';
  if (/^u?int|^sint|^real/.test(type)) return Number(s);
  return s;
}
