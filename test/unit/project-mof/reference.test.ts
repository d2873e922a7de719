/**
 * The project's Msvm classes against the Hyper-V v1 reference: mof/root-virtualization.mof is
 * compiled and every row of the hand-transcribed tables (reference-table*.ts) is checked.
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { compileFiles, formatDiagnostic, type CompileResult } from '../../../src/mof/index.js';
import { checkClass, type ClassRow } from './spec.js';
import { serviceSettings, switchService, switchSide, systemService } from './reference-table.js';
import { associations, jobs, vmSide } from './reference-table-vm.js';

const NS = 'root/virtualization';
const ENTRY = fileURLToPath(new URL('../../../mof/root-virtualization.mof', import.meta.url));
const ROWS: ClassRow[] = [switchService, systemService, serviceSettings, ...switchSide, ...vmSide, ...jobs,
  ...associations];
/** Msvm classes the reference names only as the type of an embedded parameter. */
const EMBEDDED_ONLY = ['Msvm_Error', 'Msvm_SummaryInformation'];

describe('project MOF: Msvm classes match the Hyper-V v1 reference', () => {
  let result: CompileResult;
  before(() => {
    result = compileFiles([ENTRY], { namespace: NS });
  });

  it('root-virtualization.mof compiles with zero errors', () => {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    expect(errors).to.deep.equal([]);
    expect(result.errors).to.equal(0);
  });

  for (const row of ROWS) {
    it(`${row.name}`, () => {
      expect(checkClass(result.repository.getClass(NS, row.name), row)).to.deep.equal([]);
    });
  }

  it('defines no Msvm class that the tables do not cover', () => {
    const covered = new Set([...ROWS.map((r) => r.name), ...EMBEDDED_ONLY].map((n) => n.toLowerCase()));
    const extra = result.repository.classNames(NS)
      .filter((n) => n.toLowerCase().startsWith('msvm_') && !covered.has(n.toLowerCase()));
    expect(extra).to.deep.equal([]);
  });

  it('every EmbeddedInstance names a class of the namespace', () => {
    const missing: string[] = [];
    for (const name of result.repository.classNames(NS)) {
      const cls = result.repository.getClass(NS, name)!;
      const quals = [...cls.properties.values()].map((p) => [p.name, p.qualifiers] as const);
      for (const m of cls.methods.values()) for (const p of m.parameters.values()) quals.push([`${m.name}.${p.name}`, p.qualifiers]);
      for (const [where, qs] of quals) {
        const target = qs.get('EmbeddedInstance')?.value;
        if (typeof target === 'string' && !result.repository.getClass(NS, target)) missing.push(`${name}.${where}: ${target}`);
      }
    }
    expect(missing).to.deep.equal([]);
  });
});

// The checker itself must see each kind of difference, or the rows above prove nothing.
describe('project MOF: the reference-table checker', () => {
  let result: CompileResult;
  before(() => {
    result = compileFiles([ENTRY], { namespace: NS });
  });
  const base: ClassRow = { name: 'Msvm_BindsTo', superclass: 'CIM_BindsTo', keys: ['Antecedent', 'Dependent'],
    association: true, props: ['REF Msvm_SwitchPort Antecedent'] };
  const cases: [string, ClassRow, string][] = [
    ['wrong superclass', { ...base, superclass: 'CIM_Dependency' }, 'superclass'],
    ['wrong keys', { ...base, keys: ['Antecedent'] }, 'keys'],
    ['missing property', { ...base, props: ['string NoSuchProperty'] }, 'missing'],
    ['wrong REF class', { ...base, props: ['REF Msvm_VLANEndpoint Antecedent'] }, 'REF'],
    ['wrong type', { ...switchService, methods: undefined, hasMethods: undefined, props: ['uint32 Name'] }, 'type'],
    ['wrong array-ness', { ...switchService, methods: undefined, hasMethods: undefined, props: ['string[] Name'] }, 'isArray'],
    ['present but absent', { ...switchService, methods: undefined, hasMethods: undefined, props: [], absent: ['Name'] }, 'should not'],
    ['missing method', { ...base, hasMethods: ['NoSuchMethod'] }, 'method'],
    ['wrong parameter direction', { ...switchService, props: [], hasMethods: undefined,
      methods: { DeleteSwitch: ['OUT REF Msvm_VirtualSwitch VirtualSwitch'] } }, 'in=true'],
    ['wrong parameter list', { ...switchService, props: [], hasMethods: undefined,
      methods: { DeleteSwitch: ['IN REF Msvm_VirtualSwitch VirtualSwitch', 'IN string Extra'] } }, 'parameters'],
  ];
  for (const [what, row, needle] of cases) {
    it(`reports ${what}`, () => {
      const diffs = checkClass(result.repository.getClass(NS, row.name), row);
      expect(diffs.join('\n')).to.contain(needle);
    });
  }
});
