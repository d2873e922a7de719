/** Resolver behaviour: inheritance, overrides, flavors, keys, parameters, values, namespaces, instances. */
import { expect } from 'chai';
import { CIMDateTime, InstanceName, type CIMClass } from '../../../src/cim/index.js';
import { compileText } from '../../../src/mof/index.js';
import { compileCase, PRELUDE, preludeRepository } from './prelude.js';

const NS = 'root/cimv2';

function ok(text: string) {
  const r = compileCase(text);
  expect(r.diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`)).to.deep.equal([]);
  return r;
}

function cls(text: string, name: string): CIMClass {
  const c = ok(text).repository.getClass(NS, name);
  if (!c) throw new Error(`no class ${name}`);
  return c;
}

describe('mof resolver', () => {
  it('copies inherited properties with classOrigin and propagated', () => {
    const c = cls('class A : T_Leaf { string Extra; };', 'A');
    expect([...c.properties.values()].map((p) => [p.name, p.classOrigin, p.propagated])).to.deep.equal([
      ['Id', 'T_Base', true], ['Name', 'T_Base', true], ['Small', 'T_Base', true], ['Extra', 'A', false],
    ]);
    expect(c.properties.get('name')!.defaultValue).to.equal('n');
    const ping = c.methods.get('PING')!;
    expect([ping.classOrigin, ping.propagated, ping.qualifiers.get('Static')?.propagated]).to.deep.equal(['T_Base', true, true]);
  });

  it('propagates ToSubclass qualifiers and drops Restricted ones', () => {
    const c = cls('class A : T_Base { };', 'A');
    expect([...c.qualifiers.values()].map((q) => [q.name, q.value, q.propagated])).to.deep.equal([['Description', 'base', true]]);
    expect(c.isAbstract).to.equal(false);
    const id = c.properties.get('Id')!;
    expect([...id.qualifiers.values()].map((q) => [q.name, q.propagated])).to.deep.equal([
      ['Key', true], ['Description', true], ['MaxLen', true],
    ]);
    const base = preludeRepository().getClass(NS, 'T_Base')!;
    expect([base.isAbstract, base.qualifiers.get('Version')?.value, base.qualifiers.get('Abstract')?.propagated]).to.deep.equal([true, '1.0.0', false]);
  });

  it('a per-use Restricted flavor stops propagation', () => {
    const r = ok('[Description("mine") : Restricted] class A { };\nclass B : A { };');
    expect(r.repository.getClass(NS, 'B')!.qualifiers.has('Description')).to.equal(false);
    expect(r.repository.getClass(NS, 'A')!.qualifiers.get('Description')!.flavor).to.deep.equal({ overridable: true, toSubclass: false, translatable: true });
  });

  it('overrides a property with a qualifier change and a new default', () => {
    const c = cls('class A : T_Leaf { [Override("Name"), Description("new")] string Name = "m"; [Override("Id"), MaxLen(8)] string Id; };', 'A');
    const name = c.properties.get('Name')!;
    expect([name.classOrigin, name.propagated, name.defaultValue, name.qualifiers.get('Description')?.value]).to.deep.equal(['A', false, 'm', 'new']);
    expect(name.qualifiers.has('Override')).to.equal(true);
    const id = c.properties.get('Id')!;
    expect([id.isKey, id.qualifiers.get('Key')!.propagated, id.qualifiers.get('MaxLen')!.value, id.qualifiers.get('MaxLen')!.propagated]).to.deep.equal([true, true, 8, false]);
    expect(id.qualifiers.get('Description')).to.include({ value: 'id', propagated: true });
    // an override without a default keeps the inherited one; the subclass does not see Override
    const b = cls('class A : T_Leaf { [Override("Name")] string Name; };\nclass B : A { };', 'B');
    expect(b.properties.get('Name')!.defaultValue).to.equal('n');
    expect(b.properties.get('Name')!.qualifiers.has('Override')).to.equal(false);
  });

  it('keeps a DisableOverride qualifier when rewritten with the same value', () => {
    const c = cls('class A : T_Leaf { [Override("Id"), Key] string Id; };', 'A');
    expect(c.keys).to.deep.equal(['Id']);
  });

  it('inherits keys and lists them in declaration order', () => {
    const r = ok('class K { string Other; [Key] string First; [Key] uint32 Second; };\nclass L : K { [Override("First"), Key] string First; };');
    expect(r.repository.getClass(NS, 'K')!.keys).to.deep.equal(['First', 'Second']);
    expect(r.repository.getClass(NS, 'L')!.keys).to.deep.equal(['First', 'Second']);
    expect(cls('class A : T_Leaf { };', 'A').keys).to.deep.equal(['Id']);
  });

  it('IN defaults to true only when neither IN nor OUT is given', () => {
    const c = cls('class A { uint32 M(string A1, [In] string A2, [Out] string A3, [In, Out] string A4, [In(false), Out] string A5); };', 'A');
    expect([...c.methods.get('M')!.parameters.values()].map((p) => [p.name, p.in, p.out])).to.deep.equal([
      ['A1', true, false], ['A2', true, false], ['A3', false, true], ['A4', true, true], ['A5', false, true],
    ]);
  });

  it('overrides a method and inherits its parameter qualifiers', () => {
    const c = cls('class A : T_Leaf { [Override("Ping"), Description("p")] uint32 Ping(string S, string Reply, uint16 Code); };', 'A');
    const m = c.methods.get('Ping')!;
    expect([m.classOrigin, m.propagated, m.qualifiers.get('Static')?.propagated]).to.deep.equal(['A', false, true]);
    expect([...m.parameters.values()].map((p) => [p.name, p.in, p.out])).to.deep.equal([['S', true, false], ['Reply', false, true], ['Code', false, true]]);
  });

  it('marks associations and indications, and inherits the meta qualifiers', () => {
    const r = ok(
      'class T_Leaf2 : T_Leaf {};\n[Association] class A : T_Assoc { [Override("A")] T_Leaf2 REF A; };\n' +
      '[Indication] class I { string Msg; };\nclass J : I { };',
    );
    const a = r.repository.getClass(NS, 'A')!;
    expect([a.isAssociation, a.keys, a.properties.get('A')!.refClass, a.properties.get('B')!.refClass]).to.deep.equal([true, ['A', 'B'], 'T_Leaf2', 'T_Base']);
    expect([r.repository.getClass(NS, 'I')!.isIndication, r.repository.getClass(NS, 'J')!.isIndication]).to.deep.equal([true, true]);
  });

  it('types values: 64-bit as bigint, datetime, char16, reals, fixed arrays, embedded', () => {
    const c = cls(
      'class A { uint64 Big = 0xFFFFFFFFFFFFFFFF; sint64 Neg = -9223372036854775808; uint32 N = 0777; ' +
      'datetime When = "00000001020304.000005:000"; char16 C = \'z\'; real32 R = 2; real64 D = 1.5e300; ' +
      'uint8 Mac[6] = {1, 2, 3, 4, 5, 6}; boolean Flags[] = {true, false, null}; ' +
      '[EmbeddedInstance("T_Leaf")] string Emb; [EmbeddedObject] string Obj; };',
      'A',
    );
    const v = (n: string) => c.properties.get(n)!.defaultValue;
    expect([v('Big'), v('Neg'), v('N'), v('C'), v('R'), v('D')]).to.deep.equal([
      18446744073709551615n, -9223372036854775808n, 511, 'z', 2, 1.5e300,
    ]);
    expect(v('When')).to.be.instanceOf(CIMDateTime);
    expect(String(v('When'))).to.equal('00000001020304.000005:000');
    expect([v('Mac'), c.properties.get('Mac')!.arraySize, v('Flags')]).to.deep.equal([[1, 2, 3, 4, 5, 6], 6, [true, false, null]]);
    expect([c.properties.get('Emb')!.embedded, c.properties.get('Obj')!.embedded]).to.deep.equal(['instance', 'object']);
  });

  it('keeps qualifier declarations per namespace', () => {
    const r = compileText(
      'Qualifier Key : boolean = false, Scope(property), Flavor(DisableOverride, ToSubclass);\n' +
      'class A { [Key] string Id; };\n#pragma namespace ("root/other")\nclass A { [Key] string Id; };\n',
      'ns.mof',
    );
    expect(r.diagnostics.map((d) => [d.code, d.line])).to.deep.equal([['MOF030', 4]]);
    expect(r.repository.namespaces()).to.deep.equal(['root/cimv2', 'root/other']);
    expect(r.repository.qualifierDecls('root/cimv2').map((q) => q.name)).to.deep.equal(['Key']);
    expect(r.repository.qualifierDecls('root/other')).to.deep.equal([]);
    expect(r.repository.getClass('ROOT\\Other', 'a')!.name).to.equal('A');
    expect(r.stats).to.deep.equal({ classes: 2, qualifiers: 1, instances: 0 });
  });

  it('accepts an identical qualifier redeclaration silently', () => {
    const r = compileCase('Qualifier KEY : boolean = false, Scope(reference, property), Flavor(ToSubclass, DisableOverride);');
    expect([r.diagnostics, r.stats.qualifiers]).to.deep.equal([[], 0]);
  });

  it('declares qualifiers with defaults, scopes and flavors', () => {
    const q = preludeRepository().getQualifierDecl(NS, 'in')!;
    expect(q).to.deep.equal({
      name: 'In', type: 'boolean', isArray: false, arraySize: undefined, defaultValue: true,
      scopes: ['parameter'], flavor: { overridable: false, toSubclass: true, translatable: false },
    });
  });

  it('builds instances with defaults, paths and alias references (also forward)', () => {
    const r = ok(
      'instance of T_Assoc { A = $one; B = "root/cimv2:T_Leaf.Id=\\"two\\""; };\n' +
      'instance of T_Leaf as $one { Id = "one"; Small = 7; };\n' +
      'instance of T_Leaf { Id = "two"; Name = null; };',
    );
    expect(r.stats.instances).to.equal(3);
    const [assoc, one, two] = r.repository.instances(NS);
    expect(one.path!.toString('relative')).to.equal('T_Leaf.Id="one"');
    expect(one.path!.namespace).to.equal(NS);
    expect([one.get('Name'), one.get('Small'), two.get('Name')]).to.deep.equal(['n', 7, null]);
    const a = assoc.get('A') as InstanceName;
    expect(a).to.be.instanceOf(InstanceName);
    expect(a.equals(one.path!)).to.equal(true);
    expect((assoc.get('B') as InstanceName).key('Id')).to.equal('two');
    expect(assoc.path!.keys.map((k) => [k.name, k.type])).to.deep.equal([['A', 'reference'], ['B', 'reference']]);
  });

  it('compiles into an existing repository', () => {
    const repo = preludeRepository();
    const r = compileText('class A : T_Leaf { };', 'more.mof', { into: repo });
    expect(r.errors).to.equal(0);
    expect(r.repository).to.equal(repo);
    expect(r.stats.classes).to.equal(1);
    expect(repo.isSubclassOf(NS, 'A', 't_base')).to.equal(true);
    expect(repo.isSubclassOf(NS, 'T_Base', 'A')).to.equal(false);
  });

  it('answers subclass queries in definition order', () => {
    const r = ok('class A : T_Leaf {};\nclass B : T_Base {};\nclass C : A {};');
    const repo = r.repository;
    expect(repo.subclassNames(NS, 'T_Base', false)).to.deep.equal(['T_Leaf', 'B']);
    expect(repo.subclassNames(NS, 'T_Base', true)).to.deep.equal(['T_Leaf', 'A', 'C', 'B']);
    expect(repo.subclassNames(NS, undefined, false)).to.deep.equal(['T_Base', 'T_Assoc']);
    expect(repo.classNames(NS)).to.deep.equal(['T_Base', 'T_Assoc', 'T_Leaf', 'A', 'B', 'C']);
  });

  it('compiles the prelude itself without diagnostics', () => {
    expect(compileText(PRELUDE, 'p.mof').diagnostics).to.deep.equal([]);
  });
});
