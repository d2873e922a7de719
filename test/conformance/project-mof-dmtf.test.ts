/**
 * Every CIM_ class of the project's MOF (mof/cim, mof/interop) must be the DMTF class of CIM
 * Schema 2.49.0: same superclass, property names, types, array-ness, keys, REF classes, default
 * values, value maps, and the same methods with the same parameters (names, types, REF
 * classes, IN/OUT). Descriptions differ on purpose and are not compared.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CIMClass } from '../../src/cim/class.js';
import type { CIMap } from '../../src/cim/names.js';
import type { Qualifier } from '../../src/cim/qualifier.js';
import { compileFiles, formatDiagnostic, type CompileResult } from '../../src/mof/index.js';

const SCHEMA = fileURLToPath(new URL('../../../shared/dmtf/schema/cim_schema_2.49.0.mof', import.meta.url));
const mof = (f: string) => fileURLToPath(new URL(`../../mof/${f}`, import.meta.url));
const ENTRIES: [string, string][] = [
  ['root-virtualization.mof', 'root/virtualization'],
  ['root-interop.mof', 'root/interop'],
  ['root-cimv2.mof', 'root/cimv2'],
];
const DMTF_NS = 'root/dmtf';
/** Qualifiers whose values are facts we keep (Description and other prose are ours or dropped). */
const FACT_QUALIFIERS = ['Key', 'Override', 'ValueMap', 'Values', 'EmbeddedInstance', 'EmbeddedObject', 'ArrayType',
  'Required', 'Write', 'MaxLen', 'Min', 'Max', 'Weak', 'Aggregate', 'In', 'Out', 'Abstract', 'Association',
  'Indication', 'Aggregation', 'Composition', 'Version', 'Deprecated', 'Experimental', 'Static', 'Octetstring',
  'ClassConstraint', 'Units', 'PUnit', 'MinValue', 'MaxValue', 'Propagated', 'Counter', 'Exception'];

const show = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x && typeof x === 'object' && 'toString' in x
    && !Array.isArray(x) && x.constructor?.name !== 'Object' ? String(x) : x));

/** Own (non-propagated) fact qualifiers of an element, as comparable text. */
function facts(qs: CIMap<Qualifier>): string {
  return FACT_QUALIFIERS.map((n) => {
    const q = qs.get(n);
    return q && !q.propagated ? `${n}=${show(q.value)}` : '';
  }).filter(Boolean).join(';');
}

/** Every difference between our class and the DMTF one (empty when they agree). */
function compareClass(ours: CIMClass, dmtf: CIMClass): string[] {
  const out: string[] = [];
  const d = (m: string) => out.push(`${ours.name}: ${m}`);
  if ((ours.superclass ?? '').toLowerCase() !== (dmtf.superclass ?? '').toLowerCase()) d(`superclass ${ours.superclass} != ${dmtf.superclass}`);
  if (ours.keys.join(',').toLowerCase() !== dmtf.keys.join(',').toLowerCase()) d(`keys ${ours.keys} != ${dmtf.keys}`);
  if (ours.isAssociation !== dmtf.isAssociation || ours.isIndication !== dmtf.isIndication || ours.isAbstract !== dmtf.isAbstract) d('kind');
  if (facts(ours.qualifiers) !== facts(dmtf.qualifiers)) d(`class qualifiers ${facts(ours.qualifiers)} != ${facts(dmtf.qualifiers)}`);
  const names = (m: CIMap<unknown>) => [...m.keys()].map((k) => k.toLowerCase()).sort().join(',');
  if (names(ours.properties) !== names(dmtf.properties)) d(`properties [${names(ours.properties)}] != [${names(dmtf.properties)}]`);
  for (const [name, p] of dmtf.properties) {
    const o = ours.properties.get(name);
    if (!o) continue;
    const a = { t: o.type, arr: o.isArray, size: o.arraySize, ref: o.refClass?.toLowerCase(), key: o.isKey,
      origin: o.classOrigin.toLowerCase(), def: show(o.defaultValue), q: facts(o.qualifiers) };
    const b = { t: p.type, arr: p.isArray, size: p.arraySize, ref: p.refClass?.toLowerCase(), key: p.isKey,
      origin: p.classOrigin.toLowerCase(), def: show(p.defaultValue), q: facts(p.qualifiers) };
    if (show(a) !== show(b)) d(`property ${name}: ${show(a)} != ${show(b)}`);
  }
  if (names(ours.methods) !== names(dmtf.methods)) d(`methods [${names(ours.methods)}] != [${names(dmtf.methods)}]`);
  for (const [name, m] of dmtf.methods) {
    const o = ours.methods.get(name);
    if (!o) continue;
    if (o.returnType !== m.returnType) d(`method ${name} returns ${o.returnType} != ${m.returnType}`);
    if (facts(o.qualifiers) !== facts(m.qualifiers)) d(`method ${name} qualifiers differ`);
    const oParams = [...o.parameters.values()];
    const mParams = [...m.parameters.values()];
    const sig = (ps: typeof mParams) => show(ps.map((p) => ({ n: p.name.toLowerCase(), t: p.type, arr: p.isArray,
      ref: p.refClass?.toLowerCase(), in: p.in, out: p.out, emb: p.embedded, q: facts(p.qualifiers) })));
    if (sig(oParams) !== sig(mParams)) d(`method ${name} parameters ${sig(oParams)} != ${sig(mParams)}`);
  }
  return out;
}

describe('project MOF: CIM classes match the DMTF schema 2.49.0', function () {
  let dmtf: CompileResult;
  before(function () {
    if (!existsSync(SCHEMA)) this.skip(); // ../shared (the DMTF schema) is absent on this machine
    this.timeout(120000);
    dmtf = compileFiles([SCHEMA], { namespace: DMTF_NS });
  });

  it('the DMTF schema compiles without errors', function () {
    const errors = dmtf.diagnostics.filter((x) => x.severity === 'error').map(formatDiagnostic);
    expect(errors.slice(0, 10)).to.deep.equal([]);
  });

  for (const [entry, ns] of ENTRIES) {
    it(`${entry}: every CIM_ class equals the DMTF class`, function () {
      const ours = compileFiles([mof(entry)], { namespace: ns });
      expect(ours.errors).to.equal(0);
      const cimNames = ours.repository.classNames(ns).filter((n) => n.toLowerCase().startsWith('cim_'));
      expect(cimNames.length).to.be.greaterThan(40);
      const diffs: string[] = [];
      for (const n of cimNames) {
        const theirs = dmtf.repository.getClass(DMTF_NS, n);
        if (!theirs) diffs.push(`${n}: not in the DMTF schema`);
        else diffs.push(...compareClass(ours.repository.getClass(ns, n)!, theirs));
      }
      expect(diffs).to.deep.equal([]);
    });
  }

  it('the comparison sees a difference (a class against its parent)', function () {
    const a = dmtf.repository.getClass(DMTF_NS, 'CIM_EthernetPort')!;
    const b = dmtf.repository.getClass(DMTF_NS, 'CIM_NetworkPort')!;
    expect(compareClass(a, b)).to.not.deep.equal([]);
  });
});
