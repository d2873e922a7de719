/**
 * The whole DMTF CIM Schema 2.49.0 compiles: 1,631 classes and 70 qualifier declarations
 * (the totals pywbem's test suite asserts), no diagnostics, and resolved classes as the
 * schema defines them. Reads ../shared (skips with a message when absent).
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { CIMClass } from '../../src/cim/index.js';
import { compileFiles, type CompileResult } from '../../src/mof/index.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const SCHEMA = path.resolve(REPO_ROOT, '..', 'shared', 'dmtf', 'schema', 'cim_schema_2.49.0.mof');
const NS = 'root/cimv2';

describe('conformance: DMTF CIM Schema 2.49.0 compiles', function () {
  this.timeout(60000);
  let r: CompileResult;
  const get = (name: string): CIMClass => {
    const c = r.repository.getClass(NS, name);
    if (!c) throw new Error(`class ${name} missing`);
    return c;
  };

  before(function () {
    if (!existsSync(SCHEMA)) {
      process.stdout.write(`      skipped: ${SCHEMA} not found (../shared is absent)\n`);
      this.skip();
    }
    r = compileFiles([SCHEMA]);
  });

  it('gives 1,631 classes, 70 qualifier declarations and no diagnostics', () => {
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`)).to.deep.equal([]);
    expect(r.errors).to.equal(0);
    expect(r.stats).to.deep.equal({ classes: 1631, qualifiers: 70, instances: 0 });
    expect(r.repository.classNames(NS)).to.have.length(1631);
    expect(r.repository.qualifierDecls(NS)).to.have.length(70);
  });

  it('CIM_EthernetPort inherits its keys from CIM_LogicalDevice', () => {
    const c = get('cim_ethernetport');
    expect(c.name).to.equal('CIM_EthernetPort');
    expect(c.keys).to.deep.equal(['SystemCreationClassName', 'SystemName', 'CreationClassName', 'DeviceID']);
    for (const k of c.keys) {
      const p = c.properties.get(k)!;
      expect([p.classOrigin, p.propagated, p.isKey]).to.deep.equal(['CIM_LogicalDevice', true, true]);
      expect(p.qualifiers.get('Key')).to.include({ value: true, propagated: true });
    }
    expect(c.isAbstract).to.equal(false);
  });

  it('CIM_ComputerSystem.RequestStateChange has its parameters and ValueMap', () => {
    const m = get('CIM_ComputerSystem').methods.get('RequestStateChange')!;
    expect([m.returnType, m.classOrigin, m.propagated]).to.deep.equal(['uint32', 'CIM_EnabledLogicalElement', true]);
    expect([...m.parameters.values()].map((p) => [p.name, p.type, p.refClass, p.isArray, p.in, p.out])).to.deep.equal([
      ['RequestedState', 'uint16', undefined, false, true, false],
      ['Job', 'reference', 'CIM_ConcreteJob', false, false, true],
      ['TimeoutPeriod', 'datetime', undefined, false, true, false],
    ]);
    const vm = m.qualifiers.get('ValueMap')!;
    expect(vm.propagated).to.equal(true);
    expect(vm.value).to.deep.equal(['0', '1', '2', '3', '4', '5', '6', '..', '4096', '4097', '4098', '4099', '4100..32767', '32768..65535']);
  });

  it('CIM_SwitchPort has the DMTF superclass chain', () => {
    const chain: string[] = [];
    for (let c: CIMClass | undefined = get('CIM_SwitchPort'); c; c = c.superclass ? get(c.superclass) : undefined) chain.push(c.name);
    expect(chain).to.deep.equal([
      'CIM_SwitchPort', 'CIM_ProtocolEndpoint', 'CIM_ServiceAccessPoint', 'CIM_EnabledLogicalElement',
      'CIM_LogicalElement', 'CIM_ManagedSystemElement', 'CIM_ManagedElement',
    ]);
    expect(r.repository.isSubclassOf(NS, 'CIM_SwitchPort', 'cim_managedelement')).to.equal(true);
  });

  it('a propagated property keeps its classOrigin; an overriding one is its own', () => {
    const p = get('CIM_EthernetPort').properties.get('ElementName')!;
    expect([p.classOrigin, p.propagated]).to.deep.equal(['CIM_ManagedElement', true]);
    const gc = get('CIM_SystemDevice').properties.get('GroupComponent')!;
    expect([gc.type, gc.refClass, gc.classOrigin, gc.propagated, gc.isKey]).to.deep.equal(['reference', 'CIM_System', 'CIM_SystemDevice', false, true]);
    expect(gc.qualifiers.get('Override')?.value).to.equal('GroupComponent');
  });

  it('EnabledState carries a ValueMap with ranges', () => {
    const p = get('CIM_EnabledLogicalElement').properties.get('EnabledState')!;
    const vm = p.qualifiers.get('ValueMap')!.value as string[];
    expect(vm.slice(0, 3)).to.deep.equal(['0', '1', '2']);
    expect(vm).to.include('11..32767');
    expect(p.defaultValue).to.equal(5);
  });

  it('marks associations, indications and abstract classes', () => {
    const sd = get('CIM_SystemDevice');
    expect([sd.isAssociation, sd.keys]).to.deep.equal([true, ['GroupComponent', 'PartComponent']]);
    expect(get('CIM_AlertIndication').isIndication).to.equal(true);
    expect([get('CIM_ManagedElement').isAbstract, get('CIM_ComputerSystem').isAbstract]).to.deep.equal([true, false]);
    const counts = { assoc: 0, indic: 0 };
    for (const n of r.repository.classNames(NS)) {
      const c = get(n);
      if (c.isAssociation) counts.assoc++;
      if (c.isIndication) counts.indic++;
    }
    expect(counts.assoc).to.be.at.least(643);
    expect(counts.indic).to.be.at.least(24);
  });

  it('answers subclass queries over the whole schema', () => {
    const deep = r.repository.subclassNames(NS, 'CIM_ManagedElement', true);
    expect(deep.indexOf('CIM_LogicalDevice')).to.be.lessThan(deep.indexOf('CIM_EthernetPort'));
    expect(r.repository.subclassNames(NS, 'CIM_LogicalPort', false)).to.include('CIM_NetworkPort');
  });
});
