import { expect } from 'chai';
import { CimError } from '../../../src/cim/errors.js';
import { ClassName, InstanceName, parseObjectName, type KeyType, type KeyValue, type PathStyle } from '../../../src/cim/path.js';

type Key = [name: string, type: KeyType, value: KeyValue];
interface Want {
  cls: string;
  ns?: string;
  host?: string;
  keys: Key[];
}

const SP = 'CreationClassName="Msvm_SwitchPort",Name="p1",SystemCreationClassName="Msvm_VirtualSwitch",SystemName="s1"';
const spKeys: Key[] = [
  ['CreationClassName', 'string', 'Msvm_SwitchPort'],
  ['Name', 'string', 'p1'],
  ['SystemCreationClassName', 'string', 'Msvm_VirtualSwitch'],
  ['SystemName', 'string', 's1'],
];
const VZ = 'root/virtualization';

// [description, input, expected structure | expected error text]
const parseCases: [string, string, Want | RegExp][] = [
  ['WBEM URI with host', `//hv1/root/virtualization:Msvm_SwitchPort.${SP}`, { cls: 'Msvm_SwitchPort', ns: VZ, host: 'hv1', keys: spKeys }],
  ['WMI with host', `\\\\HV1\\root\\virtualization:Msvm_SwitchPort.${SP}`, { cls: 'Msvm_SwitchPort', ns: VZ, host: 'HV1', keys: spKeys }],
  ['WMI local host \\\\.\\', `\\\\.\\root\\virtualization:Msvm_SwitchPort.${SP}`, { cls: 'Msvm_SwitchPort', ns: VZ, host: '.', keys: spKeys }],
  ['DSP0207 http URI with port', `http://h.example:5988/root/virtualization:Msvm_SwitchPort.${SP}`, { cls: 'Msvm_SwitchPort', ns: VZ, host: 'h.example:5988', keys: spKeys }],
  ['DSP0207 https URI, upper-case scheme', 'HTTPS://[::1]:5989/root/cimv2:CIM_Foo.Id=1', { cls: 'CIM_Foo', ns: 'root/cimv2', host: '[::1]:5989', keys: [['Id', 'numeric', 1]] }],
  ['DSP0207 local form with leading slash', '/root/cimv2:CIM_Foo.Id=1', { cls: 'CIM_Foo', ns: 'root/cimv2', keys: [['Id', 'numeric', 1]] }],
  ['namespace and class', 'root/virtualization:Msvm_ConcreteJob.InstanceID="J1"', { cls: 'Msvm_ConcreteJob', ns: VZ, keys: [['InstanceID', 'string', 'J1']] }],
  ['namespace with backslash, no host', 'root\\virtualization:Msvm_ConcreteJob.InstanceID="J1"', { cls: 'Msvm_ConcreteJob', ns: VZ, keys: [['InstanceID', 'string', 'J1']] }],
  ['relative, nvspinfo single quotes', "Msvm_ComputerSystem.CreationClassName='Msvm_ComputerSystem',Name='HOST1'", { cls: 'Msvm_ComputerSystem', keys: [['CreationClassName', 'string', 'Msvm_ComputerSystem'], ['Name', 'string', 'HOST1']] }],
  ['value with colon', 'Msvm_VirtualSystemSettingData.InstanceID="Microsoft:0DE8C0F7"', { cls: 'Msvm_VirtualSystemSettingData', keys: [['InstanceID', 'string', 'Microsoft:0DE8C0F7']] }],
  ['WMI doubled backslashes in a value', 'Msvm_ResourceAllocationSettingData.InstanceID="Microsoft:A\\\\B\\\\0"', { cls: 'Msvm_ResourceAllocationSettingData', keys: [['InstanceID', 'string', 'Microsoft:A\\B\\0']] }],
  ['single backslash kept as written', 'C.k="a\\b"', { cls: 'C', keys: [['k', 'string', 'a\\b']] }],
  ['escaped double quote', 'C.k="say \\"hi\\""', { cls: 'C', keys: [['k', 'string', 'say "hi"']] }],
  ['escaped single quote in single quotes', "C.k='it\\'s'", { cls: 'C', keys: [['k', 'string', "it's"]] }],
  ['double quote inside single quotes', `C.k='a"b'`, { cls: 'C', keys: [['k', 'string', 'a"b']] }],
  ['comma and equals inside a value', 'C.k="a,b=c"', { cls: 'C', keys: [['k', 'string', 'a,b=c']] }],
  ['empty string value', 'C.k=""', { cls: 'C', keys: [['k', 'string', '']] }],
  ['decimal integer', 'C.k=42', { cls: 'C', keys: [['k', 'numeric', 42]] }],
  ['negative integer', 'C.k=-7', { cls: 'C', keys: [['k', 'numeric', -7]] }],
  ['plus-signed integer', 'C.k=+7', { cls: 'C', keys: [['k', 'numeric', 7]] }],
  ['hex integer', 'C.k=0x1F', { cls: 'C', keys: [['k', 'numeric', 31]] }],
  ['negative hex integer', 'C.k=-0X10', { cls: 'C', keys: [['k', 'numeric', -16]] }],
  ['uint64 beyond 2^53 stays exact', 'C.k=18446744073709551615', { cls: 'C', keys: [['k', 'numeric', 18446744073709551615n]] }],
  ['real', 'C.k=1.5E3', { cls: 'C', keys: [['k', 'numeric', 1500]] }],
  ['TRUE', 'C.b=TRUE', { cls: 'C', keys: [['b', 'boolean', true]] }],
  ['false in lower case', 'C.b=false', { cls: 'C', keys: [['b', 'boolean', false]] }],
  ['singleton', 'CIM_ObjectManager=@', { cls: 'CIM_ObjectManager', keys: [] }],
  ['singleton with namespace and spaces', 'root/interop:CIM_Foo = @', { cls: 'CIM_Foo', ns: 'root/interop', keys: [] }],
  ['whitespace around , and =', ' C.a = "x" ,  b=2 ', { cls: 'C', keys: [['a', 'string', 'x'], ['b', 'numeric', 2]] }],
  ['keys sorted case-insensitively', 'C.zeta=1,Alpha=2,beta=3', { cls: 'C', keys: [['Alpha', 'numeric', 2], ['beta', 'numeric', 3], ['zeta', 'numeric', 1]] }],
  ['quoted object path stays a string key', 'Msvm_BindsTo.Antecedent="Msvm_SwitchPort.Name=\\"p1\\"",Dependent="X.k=1"', { cls: 'Msvm_BindsTo', keys: [['Antecedent', 'string', 'Msvm_SwitchPort.Name="p1"'], ['Dependent', 'string', 'X.k=1']] }],
  ['nvsp ids with hyphen in namespace', 'root/my-ns:C.k=1', { cls: 'C', ns: 'root/my-ns', keys: [['k', 'numeric', 1]] }],
  ['unicode class name', 'Ünï_C.k=1', { cls: 'Ünï_C', keys: [['k', 'numeric', 1]] }],
  // bad inputs
  ['empty text', '', /expected class name at end of text/],
  ['class only (no keys)', 'C', /expected "\." and key bindings or "=@" at end/],
  ['missing key value', 'C.k=', /expected a key value at end/],
  ['unquoted word', 'C.k=abc', /expected a quoted string, a number or TRUE\/FALSE at column 5/],
  ['unterminated quote', 'C.k="abc', /unterminated quoted value starting at column 5/],
  ['escaped closing quote leaves it open', 'C.k="abc\\"', /unterminated/],
  ['duplicate key (case-insensitive)', 'C.k=1,K=2', /duplicate key K at column 7/],
  ['trailing comma', 'C.k=1,', /expected key name at end/],
  ['missing = after key', 'C.k 1', /expected "=" after key k at column 5/],
  ['text after value', 'C.k="a"x', /unexpected text after the path at column 8/],
  ['empty host', '///root:C.k=1', /expected a host name at column 3/],
  ['host without namespace', '//host', /expected "\/" and a namespace after the host at end/],
  ['empty namespace after host', '//host/:C.k=1', /expected a namespace at column 8/],
  ['namespace with empty segment', 'root//x:C.k=1', /expected a namespace at column 1/],
  ['class name starting with a digit', '9C.k=1', /expected class name at column 1/],
  ['bad singleton', 'C=1', /expected "@" \(singleton\) at column 3/],
  ['bad hex digits', 'C.k=0xZZ', /expected a quoted string, a number or TRUE/],
  ['not text at all', null as unknown as string, /expected text, got object/],
];

function describeKeys(n: InstanceName): Key[] {
  return n.keys.map((k) => [k.name, k.type, k.value] as Key);
}

function check(input: string, want: Want | RegExp): void {
  if (want instanceof RegExp) {
    let err: unknown;
    try {
      InstanceName.parse(input);
    } catch (e) {
      err = e;
    }
    expect(err, 'expected a CimError').to.be.instanceOf(CimError);
    expect((err as CimError).statusName).to.equal('CIM_ERR_INVALID_PARAMETER');
    expect((err as CimError).description).to.match(want);
    return;
  }
  const n = InstanceName.parse(input);
  expect(n.className).to.equal(want.cls);
  expect(n.namespace).to.equal(want.ns);
  expect(n.host).to.equal(want.host);
  expect(describeKeys(n)).to.deep.equal(want.keys);
}

function sameStructure(a: InstanceName, b: InstanceName, style: PathStyle): void {
  expect(a.equals(b), `${a.toString(style)} equals ${b.toString(style)}`).to.equal(true);
  expect(a.className).to.equal(b.className);
  if (style !== 'relative') {
    expect(a.namespace?.replace(/\\/g, '/')).to.equal(b.namespace?.replace(/\\/g, '/'));
    expect(a.host).to.equal(b.host);
  }
}

describe('cim/path parse', () => {
  for (const [desc, input, want] of parseCases) {
    it(`${desc}: ${JSON.stringify(input)}`, () => check(input, want));
  }
});

describe('cim/path round trip', () => {
  const styles: PathStyle[] = ['wmi', 'wbem', 'relative'];
  for (const [desc, input, want] of parseCases) {
    if (want instanceof RegExp) continue;
    for (const style of styles) {
      it(`${style}: ${desc}`, () => {
        const x = InstanceName.parse(input);
        const text = x.toString(style);
        const y = InstanceName.parse(text);
        sameStructure(y, x, style);
        expect(y.toString(style), 'printing is stable').to.equal(text);
      });
    }
  }
  it('a host without a namespace is not printed (it would not parse back)', () => {
    const x = InstanceName.of('C', { k: 1 }, undefined, 'h');
    expect(x.toString('wmi')).to.equal('C.k=1');
    expect(x.toString('wbem')).to.equal('C.k=1');
  });
  it('a typed reference key survives printing as a string key', () => {
    const inner = InstanceName.of('Msvm_SwitchPort', { Name: 'p\\1', CreationClassName: 'Msvm_SwitchPort' }, 'root\\virtualization', 'HV');
    const x = InstanceName.of('Msvm_ActiveConnection', { Antecedent: inner, Dependent: InstanceName.of('X', { k: 5n }) });
    for (const style of styles) {
      const y = InstanceName.parse(x.toString(style));
      expect(y.keys[0].type).to.equal('string');
      expect(y.equals(x)).to.equal(true);
      expect(y.referenceKey('antecedent')?.equals(inner)).to.equal(true);
      expect(y.referenceKey('Antecedent')?.host).to.equal('HV');
    }
  });
});

// The paths of hyperv-v1-networking.md 1.1, exactly as a real host prints them.
const HOST = '\\\\HV12OSDEMO1\\root\\virtualization:';
const canonical: [string, string, Record<string, KeyValue>][] = [
  ['VM', `${HOST}Msvm_ComputerSystem.CreationClassName="Msvm_ComputerSystem",Name="7AB8E999-EA5C-4F86-88A0-CF55D2F4668F"`,
    { Name: '7AB8E999-EA5C-4F86-88A0-CF55D2F4668F', CreationClassName: 'Msvm_ComputerSystem' }],
  ['switch', `${HOST}Msvm_VirtualSwitch.CreationClassName="Msvm_VirtualSwitch",Name="41A8AFAE-F953-447D-99A4-1B816E90D3BB"`,
    { Name: '41A8AFAE-F953-447D-99A4-1B816E90D3BB', CreationClassName: 'Msvm_VirtualSwitch' }],
  ['switch port', `${HOST}Msvm_SwitchPort.CreationClassName="Msvm_SwitchPort",Name="2aa53219-4f90-4b60-b3e9-5dd3f9156691",SystemCreationClassName="Msvm_VirtualSwitch",SystemName="41A8AFAE-F953-447D-99A4-1B816E90D3BB"`,
    { SystemName: '41A8AFAE-F953-447D-99A4-1B816E90D3BB', SystemCreationClassName: 'Msvm_VirtualSwitch', Name: '2aa53219-4f90-4b60-b3e9-5dd3f9156691', CreationClassName: 'Msvm_SwitchPort' }],
  ['job', `${HOST}Msvm_ConcreteJob.InstanceID="36770A59-5CDE-45DC-B53F-2AD796BE769A"`,
    { InstanceID: '36770A59-5CDE-45DC-B53F-2AD796BE769A' }],
  ['RASD', `${HOST}Msvm_ResourceAllocationSettingData.InstanceID="Microsoft:7AB8E999-EA5C-4F86-88A0-CF55D2F4668F\\\\83F8638B-8DCA-4152-9EDA-2CA8B33039B4\\\\0"`,
    { InstanceID: 'Microsoft:7AB8E999-EA5C-4F86-88A0-CF55D2F4668F\\83F8638B-8DCA-4152-9EDA-2CA8B33039B4\\0' }],
];

describe('cim/path canonical printing (hyperv-v1-networking.md 1.1)', () => {
  for (const [desc, text, keys] of canonical) {
    const cls = text.slice(HOST.length, text.indexOf('.'));
    it(`${desc}: built from values prints byte-identically`, () => {
      expect(InstanceName.of(cls, keys, 'root/virtualization', 'HV12OSDEMO1').toString('wmi')).to.equal(text);
    });
    it(`${desc}: parses and reprints byte-identically in every style`, () => {
      const x = InstanceName.parse(text);
      expect(x.toString('wmi')).to.equal(text);
      const wbem = text.replace(/^\\\\HV12OSDEMO1\\root\\virtualization:/, '//HV12OSDEMO1/root/virtualization:');
      expect(x.toString('wbem')).to.equal(wbem);
      expect(InstanceName.parse(wbem).toString('wmi')).to.equal(text);
    });
  }
  it('the job path has exactly one "=" (clients split on it)', () => {
    expect(InstanceName.parse(canonical[3][1]).toString().split('=')).to.have.length(2);
  });
});

describe('cim/path identity and equality', () => {
  // [description, a, b, a.equals(b), same identity (identity ignores host and namespace)]
  const cases: [string, InstanceName, InstanceName, boolean, boolean?][] = [
    ['number and bigint keys', InstanceName.of('C', { k: 5 }), InstanceName.of('C', { k: 5n }), true],
    ['hex and decimal text', InstanceName.parse('C.k=0x10'), InstanceName.parse('C.k=16'), true],
    ['different numbers', InstanceName.of('C', { k: 5 }), InstanceName.of('C', { k: 6 }), false],
    ['class and key names ignore case', InstanceName.parse('msvm_switchport.NAME="a"'), InstanceName.parse('Msvm_SwitchPort.Name="a"'), true],
    ['string values are case-sensitive', InstanceName.parse('C.Name="a"'), InstanceName.parse('C.Name="A"'), false],
    ['string "5" is not number 5', InstanceName.parse('C.k="5"'), InstanceName.parse('C.k=5'), false],
    ['host ignored, namespace separators and case ignored', InstanceName.parse('\\\\.\\ROOT\\Virtualization:C.k=1'), InstanceName.parse('//h/root/virtualization:C.k=1'), true],
    ['different namespaces', InstanceName.parse('root/a:C.k=1'), InstanceName.parse('root/b:C.k=1'), false, true],
    ['a string holding a path equals the reference', InstanceName.parse('A.r="X.k=1"'), InstanceName.of('A', { r: InstanceName.of('x', { K: 1n }) }), true],
    ['a comma in a value cannot forge a key', InstanceName.of('C', { a: 'x",b="y' }), InstanceName.parse('C.a="x",b="y"'), false],
  ];
  for (const [desc, a, b, want, sameId = want] of cases) {
    it(desc, () => {
      expect(a.equals(b)).to.equal(want);
      expect(a.identity() === b.identity()).to.equal(sameId);
    });
  }
});

describe('cim/path class names', () => {
  const cases: [string, string, [string, string | undefined, string | undefined] | RegExp][] = [
    ['WBEM URI', '//h/root/cimv2:CIM_Foo', ['CIM_Foo', 'root/cimv2', 'h']],
    ['WMI', '\\\\H\\root\\cimv2:CIM_Foo', ['CIM_Foo', 'root/cimv2', 'H']],
    ['namespace', 'root/cimv2:CIM_Foo', ['CIM_Foo', 'root/cimv2', undefined]],
    ['class only', ' CIM_Foo ', ['CIM_Foo', undefined, undefined]],
    ['keys are not a class path', 'CIM_Foo.k=1', /unexpected text after the class name at column 8/],
    ['empty', '', /expected class name at end/],
  ];
  for (const [desc, input, want] of cases) {
    it(`${desc}: ${JSON.stringify(input)}`, () => {
      if (want instanceof RegExp) {
        expect(() => ClassName.parse(input)).to.throw(CimError, want);
        return;
      }
      const c = ClassName.parse(input);
      expect([c.className, c.namespace, c.host]).to.deep.equal(want);
      expect(ClassName.parse(c.toString('wmi')).equals(c)).to.equal(true);
      expect(ClassName.parse(c.toString('wbem')).equals(c)).to.equal(true);
    });
  }
  it('parseObjectName tells class paths from instance paths', () => {
    expect(parseObjectName('root/cimv2:CIM_Foo')).to.be.instanceOf(ClassName);
    expect(parseObjectName('root/cimv2:CIM_Foo.k=1')).to.be.instanceOf(InstanceName);
    expect(parseObjectName('CIM_Foo=@')).to.be.instanceOf(InstanceName);
  });
});
