/**
 * A tiny notation for the class tables of the project-MOF tests, so that a row reads like the
 * reference document, and the one function that checks a compiled class against a row.
 *   property: "string Name", "uint16[] OperationalStatus", "REF Msvm_SwitchPort Antecedent",
 *             "~string Notes" (base type only, array-ness not stated), "? Caption" (only that it
 *             exists), "?[] Roles" (exists and is an array).
 *   parameter: "IN string Name", "OUT REF Msvm_VirtualSwitch CreatedVirtualSwitch",
 *              "IN string ResourceSettingData[] embedded" (EmbeddedInstance/EmbeddedObject).
 */
import type { CIMClass } from '../../../src/cim/class.js';
import { ciEq } from '../../../src/cim/names.js';

export interface ClassRow {
  name: string;
  superclass: string;
  /** Key property names as the reference gives them; undefined when it does not say. */
  keys?: string[];
  association?: boolean;
  props: string[];
  /** Properties the reference says the class does not have. */
  absent?: string[];
  /** Methods with their full parameter lists (uint32 return, reference section 1.3). */
  methods?: Record<string, string[]>;
  /** Methods that must exist (inherited ones the reference names without parameters). */
  hasMethods?: string[];
}

interface PropSpec { name: string; type?: string; isArray?: boolean; refClass?: string }

export function parseProp(s: string): PropSpec {
  const t = s.trim().split(/\s+/);
  if (t[0] === 'REF') return { name: t[2], type: 'reference', isArray: false, refClass: t[1] };
  const name = t[1];
  if (t[0] === '?') return { name };
  if (t[0] === '?[]') return { name, isArray: true };
  if (t[0].startsWith('~')) return { name, type: t[0].slice(1) };
  const isArray = t[0].endsWith('[]');
  return { name, type: isArray ? t[0].slice(0, -2) : t[0], isArray };
}

interface ParamSpec { dir: 'IN' | 'OUT'; name: string; type: string; isArray: boolean; refClass?: string; embedded: boolean }

export function parseParam(s: string): ParamSpec {
  const t = s.trim().split(/\s+/);
  const dir = t[0] as 'IN' | 'OUT';
  const embedded = t[t.length - 1] === 'embedded';
  const isRef = t[1] === 'REF';
  const rawName = isRef ? t[3] : t[2];
  const isArray = rawName.endsWith('[]');
  return {
    dir, embedded, isArray,
    name: isArray ? rawName.slice(0, -2) : rawName,
    type: isRef ? 'reference' : t[1],
    refClass: isRef ? t[2] : undefined,
  };
}

/** Every difference between a compiled class and a row, as readable lines (empty when equal). */
export function checkClass(cls: CIMClass | undefined, row: ClassRow): string[] {
  if (!cls) return [`${row.name}: class missing`];
  const out: string[] = [];
  const err = (m: string) => out.push(`${row.name}: ${m}`);
  if (!ciEq(cls.superclass, row.superclass)) err(`superclass ${cls.superclass} != ${row.superclass}`);
  if (row.keys) {
    const got = cls.keys.map((k) => k.toLowerCase()).sort().join(',');
    const want = row.keys.map((k) => k.toLowerCase()).sort().join(',');
    if (got !== want) err(`keys [${got}] != [${want}]`);
  }
  if (row.association !== undefined && cls.isAssociation !== row.association) err(`isAssociation ${cls.isAssociation}`);
  for (const p of row.props.map(parseProp)) {
    const got = cls.properties.get(p.name);
    if (!got) { err(`property ${p.name} missing`); continue; }
    if (p.type && got.type !== p.type) err(`property ${p.name} type ${got.type} != ${p.type}`);
    if (p.isArray !== undefined && got.isArray !== p.isArray) err(`property ${p.name} isArray ${got.isArray}`);
    if (p.refClass && !ciEq(got.refClass, p.refClass)) err(`property ${p.name} REF ${got.refClass} != ${p.refClass}`);
  }
  for (const a of row.absent ?? []) if (cls.properties.has(a)) err(`property ${a} should not exist`);
  for (const m of row.hasMethods ?? []) if (!cls.methods.has(m)) err(`method ${m} missing`);
  for (const [mname, params] of Object.entries(row.methods ?? {})) {
    const m = cls.methods.get(mname);
    if (!m) { err(`method ${mname} missing`); continue; }
    if (m.returnType !== 'uint32') err(`method ${mname} returns ${m.returnType}`);
    const specs = params.map(parseParam);
    const gotNames = [...m.parameters.keys()].map((k) => k.toLowerCase()).sort().join(',');
    const wantNames = specs.map((s) => s.name.toLowerCase()).sort().join(',');
    if (gotNames !== wantNames) err(`method ${mname} parameters [${gotNames}] != [${wantNames}]`);
    for (const s of specs) {
      const p = m.parameters.get(s.name);
      if (!p) continue;
      const where = `${mname}.${s.name}`;
      if (p.type !== s.type) err(`${where} type ${p.type} != ${s.type}`);
      if (p.isArray !== s.isArray) err(`${where} isArray ${p.isArray}`);
      if (s.refClass && !ciEq(p.refClass, s.refClass)) err(`${where} REF ${p.refClass} != ${s.refClass}`);
      if (p.in !== (s.dir === 'IN') || p.out !== (s.dir === 'OUT')) err(`${where} in=${p.in} out=${p.out}, want ${s.dir}`);
      if (s.embedded && !p.embedded) err(`${where} is not an embedded instance/object`);
    }
  }
  return out;
}
