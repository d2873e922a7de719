/**
 * Unit tables for the per-element decoders: each row is (description, XML, expected value
 * or expected failure). Failures are either a ProtocolError with its CIMError value or a
 * CimError with its status name.
 */
import { expect } from 'chai';
import { CimError } from '../../../src/cim/errors.js';
import { CIMInstance } from '../../../src/cim/instance.js';
import { ClassName, InstanceName } from '../../../src/cim/path.js';
import { CIMDateTime } from '../../../src/cim/datetime.js';
import * as obj from '../../../src/cimxml/decode-object.js';
import * as req from '../../../src/cimxml/decode-request.js';
import * as val from '../../../src/cimxml/decode-value.js';
import { ProtocolError } from '../../../src/cimxml/errors.js';
import { parseXml, type XNode } from '../../../src/cimxml/xml-parse.js';

type Expect = { value: unknown } | { error: string };
type Row = [string, string, Expect];

function outcome(fn: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: fn() };
  } catch (e) {
    if (e instanceof ProtocolError) return { error: e.cimError ?? `http-${e.status}` };
    if (e instanceof CimError) return { error: e.statusName };
    throw e;
  }
}

function table(name: string, decode: (n: XNode) => unknown, rows: Row[], view: (v: unknown) => unknown = (v) => v): void {
  describe(name, () => {
    for (const [desc, xml, exp] of rows) {
      it(desc, () => {
        const got = outcome(() => view(decode(parseXml(xml))));
        expect(got).to.deep.equal(exp);
      });
    }
  });
}

const path = (v: unknown) => (v instanceof InstanceName || v instanceof ClassName ? v.toString('wbem') : v);
const NS = '<LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH>';
const IN = '<INSTANCENAME CLASSNAME="C"><KEYBINDING NAME="k"><KEYVALUE>v</KEYVALUE></KEYBINDING></INSTANCENAME>';
const NOT_VALID = { error: 'request-not-valid' };
/** A value text that is no value of its declared type: valid XML, a CIM error (DSP0200 4.3). */
const BAD_VALUE = { error: 'CIM_ERR_INVALID_PARAMETER' };

table('VALUE', val.decodeValueText, [
  ['text as is', '<VALUE> a b </VALUE>', { value: ' a b ' }],
  ['empty is the empty string', '<VALUE/>', { value: '' }],
  ['entities and character references', '<VALUE>&lt;&amp;&#65;&#x263A;</VALUE>', { value: '<&A\u263a' }],
  ['CDATA', '<VALUE><![CDATA[<x>]]></VALUE>', { value: '<x>' }],
  ['no child elements', '<VALUE><VALUE/></VALUE>', NOT_VALID],
]);

table('VALUE.ARRAY', val.decodeValueArrayText, [
  ['values and NULLs', '<VALUE.ARRAY><VALUE>a</VALUE><VALUE.NULL/><VALUE/></VALUE.ARRAY>', { value: ['a', null, ''] }],
  ['empty array', '<VALUE.ARRAY/>', { value: [] }],
  ['whitespace between elements', '<VALUE.ARRAY>\n <VALUE>a</VALUE>\n</VALUE.ARRAY>', { value: ['a'] }],
  ['stray text', '<VALUE.ARRAY>x<VALUE>a</VALUE></VALUE.ARRAY>', NOT_VALID],
  ['foreign element', '<VALUE.ARRAY><VALUE.REFERENCE/></VALUE.ARRAY>', NOT_VALID],
]);

table('LOCALNAMESPACEPATH', val.decodeLocalNamespacePath, [
  ['two parts', NS, { value: 'root/cimv2' }],
  ['one part holding a slash', '<LOCALNAMESPACEPATH><NAMESPACE NAME="root/interop"/></LOCALNAMESPACEPATH>', { value: 'root/interop' }],
  ['no NAMESPACE', '<LOCALNAMESPACEPATH/>', NOT_VALID],
  ['NAMESPACE without NAME', '<LOCALNAMESPACEPATH><NAMESPACE/></LOCALNAMESPACEPATH>', NOT_VALID],
  ['empty part', '<LOCALNAMESPACEPATH><NAMESPACE NAME="root//x"/></LOCALNAMESPACEPATH>', NOT_VALID],
]);

table('KEYVALUE', (n) => val.decodeKeyValue(n), [
  ['no VALUETYPE: string', '<KEYVALUE>abc</KEYVALUE>', { value: { type: 'string', value: 'abc' } }],
  ['numeric without TYPE', '<KEYVALUE VALUETYPE="numeric"> 42 </KEYVALUE>', { value: { type: 'numeric', value: 42 } }],
  ['negative hex numeric', '<KEYVALUE VALUETYPE="numeric">-0x10</KEYVALUE>', { value: { type: 'numeric', value: -16 } }],
  ['lower-case boolean', '<KEYVALUE VALUETYPE="boolean">true</KEYVALUE>', { value: { type: 'boolean', value: true } }],
  ['TYPE uint64 keeps the type', '<KEYVALUE VALUETYPE="numeric" TYPE="uint64">18446744073709551615</KEYVALUE>', { value: { type: 'numeric', value: 18446744073709551615n, cimType: 'uint64' } }],
  ['TYPE datetime stays text', '<KEYVALUE TYPE="datetime">20240131124502.000000+000</KEYVALUE>', { value: { type: 'string', value: '20240131124502.000000+000', cimType: 'datetime' } }],
  ['bad numeric', '<KEYVALUE VALUETYPE="numeric">4x</KEYVALUE>', BAD_VALUE],
  ['bad VALUETYPE', '<KEYVALUE VALUETYPE="date">x</KEYVALUE>', NOT_VALID],
  ['bad TYPE', '<KEYVALUE TYPE="int">1</KEYVALUE>', NOT_VALID],
  ['uint8 out of range', '<KEYVALUE TYPE="uint8">256</KEYVALUE>', BAD_VALUE],
]);

table('INSTANCENAME', val.decodeInstanceName, [
  ['keys sorted, printed canonically', '<INSTANCENAME CLASSNAME="C"><KEYBINDING NAME="b"><KEYVALUE VALUETYPE="numeric">2</KEYVALUE></KEYBINDING><KEYBINDING NAME="a"><KEYVALUE>x"y</KEYVALUE></KEYBINDING></INSTANCENAME>', { value: 'C.a="x\\"y",b=2' }],
  ['singleton', '<INSTANCENAME CLASSNAME="S"/>', { value: 'S=@' }],
  ['reference key', `<INSTANCENAME CLASSNAME="A"><KEYBINDING NAME="r"><VALUE.REFERENCE><LOCALINSTANCEPATH>${NS}${IN}</LOCALINSTANCEPATH></VALUE.REFERENCE></KEYBINDING></INSTANCENAME>`, { value: 'A.r="root\\\\cimv2:C.k=\\"v\\""' }],
  ['no CLASSNAME', '<INSTANCENAME/>', NOT_VALID],
  ['duplicate key (any case)', '<INSTANCENAME CLASSNAME="C"><KEYBINDING NAME="k"><KEYVALUE>1</KEYVALUE></KEYBINDING><KEYBINDING NAME="K"><KEYVALUE>2</KEYVALUE></KEYBINDING></INSTANCENAME>', NOT_VALID],
  ['legacy unnamed KEYVALUE', '<INSTANCENAME CLASSNAME="C"><KEYVALUE>1</KEYVALUE></INSTANCENAME>', NOT_VALID],
  ['reference key to a class', '<INSTANCENAME CLASSNAME="A"><KEYBINDING NAME="r"><VALUE.REFERENCE><CLASSNAME NAME="C"/></VALUE.REFERENCE></KEYBINDING></INSTANCENAME>', NOT_VALID],
], path);

table('VALUE.REFERENCE', val.decodeValueReference, [
  ['INSTANCEPATH', `<VALUE.REFERENCE><INSTANCEPATH><NAMESPACEPATH><HOST>h:5989</HOST>${NS}</NAMESPACEPATH>${IN}</INSTANCEPATH></VALUE.REFERENCE>`, { value: '//h:5989/root/cimv2:C.k="v"' }],
  ['LOCALINSTANCEPATH', `<VALUE.REFERENCE><LOCALINSTANCEPATH>${NS}${IN}</LOCALINSTANCEPATH></VALUE.REFERENCE>`, { value: 'root/cimv2:C.k="v"' }],
  ['INSTANCENAME', `<VALUE.REFERENCE>${IN}</VALUE.REFERENCE>`, { value: 'C.k="v"' }],
  ['CLASSPATH', `<VALUE.REFERENCE><CLASSPATH><NAMESPACEPATH><HOST>h</HOST>${NS}</NAMESPACEPATH><CLASSNAME NAME="C"/></CLASSPATH></VALUE.REFERENCE>`, { value: '//h/root/cimv2:C' }],
  ['LOCALCLASSPATH', `<VALUE.REFERENCE><LOCALCLASSPATH>${NS}<CLASSNAME NAME="C"/></LOCALCLASSPATH></VALUE.REFERENCE>`, { value: 'root/cimv2:C' }],
  ['CLASSNAME', '<VALUE.REFERENCE><CLASSNAME NAME="C"/></VALUE.REFERENCE>', { value: 'C' }],
  ['empty', '<VALUE.REFERENCE/>', NOT_VALID],
  ['two paths', `<VALUE.REFERENCE>${IN}${IN}</VALUE.REFERENCE>`, NOT_VALID],
  ['parts out of order', `<VALUE.REFERENCE><LOCALINSTANCEPATH>${IN}${NS}</LOCALINSTANCEPATH></VALUE.REFERENCE>`, NOT_VALID],
  ['empty HOST', `<VALUE.REFERENCE><CLASSPATH><NAMESPACEPATH><HOST> </HOST>${NS}</NAMESPACEPATH><CLASSNAME NAME="C"/></CLASSPATH></VALUE.REFERENCE>`, NOT_VALID],
], path);

const show = (v: unknown): unknown => {
  if (!(v instanceof CIMInstance)) return v;
  return { className: v.className, props: [...v.properties.values()].map((p) => [p.name, p.type, p.isArray, p.embedded ?? '', showValue(p.value)]) };
};
const showValue = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(showValue) : v instanceof CIMDateTime ? v.text : v instanceof InstanceName ? v.toString('wbem') : v instanceof CIMInstance ? show(v) : v;

table('INSTANCE', obj.decodeInstance, [
  ['typed properties', '<INSTANCE CLASSNAME="C"><PROPERTY NAME="a" TYPE="uint8"><VALUE> 7 </VALUE></PROPERTY><PROPERTY NAME="b" TYPE="boolean"><VALUE>true</VALUE></PROPERTY><PROPERTY NAME="c" TYPE="sint64"><VALUE>-9</VALUE></PROPERTY><PROPERTY NAME="d" TYPE="datetime"><VALUE>00000001020304.000005:000</VALUE></PROPERTY><PROPERTY NAME="e" TYPE="string"></PROPERTY></INSTANCE>',
    { value: { className: 'C', props: [['a', 'uint8', false, '', 7], ['b', 'boolean', false, '', true], ['c', 'sint64', false, '', -9n], ['d', 'datetime', false, '', '00000001020304.000005:000'], ['e', 'string', false, '', null]] } }],
  ['arrays with NULL elements', '<INSTANCE CLASSNAME="C"><PROPERTY.ARRAY NAME="a" TYPE="real32"><VALUE.ARRAY><VALUE>1.5</VALUE><VALUE.NULL/></VALUE.ARRAY></PROPERTY.ARRAY></INSTANCE>',
    { value: { className: 'C', props: [['a', 'real32', true, '', [1.5, null]]] } }],
  ['reference property', `<INSTANCE CLASSNAME="A"><PROPERTY.REFERENCE NAME="r" REFERENCECLASS="C"><VALUE.REFERENCE>${IN}</VALUE.REFERENCE></PROPERTY.REFERENCE></INSTANCE>`,
    { value: { className: 'A', props: [['r', 'reference', false, '', 'C.k="v"']] } }],
  ['embedded instance, WMI style (system properties, CLASSORIGIN, PROPAGATED ignored)',
    '<INSTANCE CLASSNAME="C"><PROPERTY NAME="e" TYPE="string" EmbeddedObject="instance"><VALUE>&lt;INSTANCE CLASSNAME="E"&gt;&lt;PROPERTY NAME="__PATH" CLASSORIGIN="___SYSTEM" TYPE="string"&gt;&lt;VALUE&gt;\\\\H\\root:E&lt;/VALUE&gt;&lt;/PROPERTY&gt;&lt;PROPERTY NAME="x" TYPE="uint16" CLASSORIGIN="E" PROPAGATED="true"&gt;&lt;VALUE&gt;5&lt;/VALUE&gt;&lt;/PROPERTY&gt;&lt;/INSTANCE&gt;</VALUE></PROPERTY></INSTANCE>',
    { value: { className: 'C', props: [['e', 'string', false, 'instance', { className: 'E', props: [['x', 'uint16', false, '', 5]] }]] } }],
  ['legacy EMBEDDEDOBJECT spelling', '<INSTANCE CLASSNAME="C"><PROPERTY NAME="e" TYPE="string" EMBEDDEDOBJECT="object"><VALUE><![CDATA[<INSTANCE CLASSNAME="E"></INSTANCE>]]></VALUE></PROPERTY></INSTANCE>',
    { value: { className: 'C', props: [['e', 'string', false, 'object', { className: 'E', props: [] }]] } }],
  ['instance qualifiers before properties', '<INSTANCE CLASSNAME="C"><QUALIFIER NAME="Description" TYPE="string"><VALUE>d</VALUE></QUALIFIER><PROPERTY NAME="a" TYPE="string"><VALUE>x</VALUE></PROPERTY></INSTANCE>',
    { value: { className: 'C', props: [['a', 'string', false, '', 'x']] } }],
  ['qualifier after a property', '<INSTANCE CLASSNAME="C"><PROPERTY NAME="a" TYPE="string"/><QUALIFIER NAME="D" TYPE="string"/></INSTANCE>', NOT_VALID],
  ['duplicate property', '<INSTANCE CLASSNAME="C"><PROPERTY NAME="a" TYPE="string"/><PROPERTY NAME="A" TYPE="string"/></INSTANCE>', NOT_VALID],
  ['property without TYPE', '<INSTANCE CLASSNAME="C"><PROPERTY NAME="a"><VALUE>1</VALUE></PROPERTY></INSTANCE>', NOT_VALID],
  ['bad boolean', '<INSTANCE CLASSNAME="C"><PROPERTY NAME="a" TYPE="boolean"><VALUE>yes</VALUE></PROPERTY></INSTANCE>', BAD_VALUE],
  ['two char16 characters', '<INSTANCE CLASSNAME="C"><PROPERTY NAME="a" TYPE="char16"><VALUE>ab</VALUE></PROPERTY></INSTANCE>', BAD_VALUE],
  ['embedded text that is not an object', '<INSTANCE CLASSNAME="C"><PROPERTY NAME="e" TYPE="string" EmbeddedObject="instance"><VALUE>&lt;VALUE/&gt;</VALUE></PROPERTY></INSTANCE>', NOT_VALID],
  ['embedded text that is not XML', '<INSTANCE CLASSNAME="C"><PROPERTY NAME="e" TYPE="string" EmbeddedObject="instance"><VALUE>&lt;INSTANCE</VALUE></PROPERTY></INSTANCE>', { error: 'request-not-well-formed' }],
], show);

table('QUALIFIER.DECLARATION', obj.decodeQualifierDeclaration, [
  ['scalar with scope and flavors', '<QUALIFIER.DECLARATION NAME="Key" TYPE="boolean" OVERRIDABLE="false"><SCOPE PROPERTY="true" REFERENCE="true"/><VALUE>false</VALUE></QUALIFIER.DECLARATION>',
    { value: { name: 'Key', type: 'boolean', isArray: false, defaultValue: false, scopes: ['reference', 'property'], flavor: { overridable: false, toSubclass: true, translatable: false } } }],
  ['array, every scope = any', '<QUALIFIER.DECLARATION NAME="V" TYPE="string" ISARRAY="true" ARRAYSIZE="2"><SCOPE CLASS="true" ASSOCIATION="true" REFERENCE="true" PROPERTY="true" METHOD="true" PARAMETER="true" INDICATION="true"/><VALUE.ARRAY><VALUE>a</VALUE></VALUE.ARRAY></QUALIFIER.DECLARATION>',
    { value: { name: 'V', type: 'string', isArray: true, arraySize: 2, defaultValue: ['a'], scopes: ['any'], flavor: { overridable: true, toSubclass: true, translatable: false } } }],
  ['ISARRAY disagrees with the value', '<QUALIFIER.DECLARATION NAME="V" TYPE="string" ISARRAY="false"><VALUE.ARRAY/></QUALIFIER.DECLARATION>', NOT_VALID],
  ['bad flavor value', '<QUALIFIER.DECLARATION NAME="V" TYPE="string" TOSUBCLASS="maybe"/>', NOT_VALID],
]);

table('CLASS', obj.decodeClass, [
  ['properties, key, method with parameters', '<CLASS NAME="C" SUPERCLASS="P"><QUALIFIER NAME="Association" TYPE="boolean"><VALUE>TRUE</VALUE></QUALIFIER><PROPERTY NAME="k" TYPE="string"><QUALIFIER NAME="Key" TYPE="boolean"><VALUE>true</VALUE></QUALIFIER></PROPERTY><PROPERTY.REFERENCE NAME="r" REFERENCECLASS="X"/><METHOD NAME="m" TYPE="uint32"><PARAMETER NAME="a" TYPE="uint8"/><PARAMETER.REFARRAY NAME="b" REFERENCECLASS="X"><QUALIFIER NAME="Out" TYPE="boolean"><VALUE>true</VALUE></QUALIFIER></PARAMETER.REFARRAY></METHOD></CLASS>',
    { value: ['C', 'P', true, ['k'], ['k', 'r'], [['a', 'uint8', false, true, false], ['b', 'reference', true, false, true]]] }],
  ['property after a method', '<CLASS NAME="C"><METHOD NAME="m"/><PROPERTY NAME="p" TYPE="string"/></CLASS>', NOT_VALID],
], (v) => {
  const c = v as ReturnType<typeof obj.decodeClass>;
  const m = [...c.methods.values()][0];
  return [c.name, c.superclass, c.isAssociation, c.keys, [...c.properties.keys()], [...m.parameters.values()].map((p) => [p.name, p.type, p.isArray, p.in, p.out])];
});

const call = (op: string, params: string) =>
  `<CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="1" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="${op}">${NS}${params}</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>`;
const intrinsic = (n: XNode) => {
  const env = req.decodeEnvelope(n);
  if (env.kind !== 'intrinsic' || !env.op) return env.kind === 'intrinsic' ? { unknown: env.name } : env.kind;
  return req.decodeIntrinsicParams(env.op, env.params);
};
const p = (n: string, inner: string) => `<IPARAMVALUE NAME="${n}">${inner}</IPARAMVALUE>`;
const b = (x: string) => `<VALUE>${x}</VALUE>`;

table('IMETHODCALL parameters (DSP0200 defaults)', intrinsic, [
  ['GetClass defaults', call('GetClass', p('ClassName', '<CLASSNAME NAME="C"/>')),
    { value: { ClassName: 'C', LocalOnly: true, IncludeQualifiers: true, IncludeClassOrigin: false, PropertyList: null } }],
  ['EnumerateInstances defaults, names any case', call('EnumerateInstances', p('classname', '<CLASSNAME NAME="C"/>') + p('DEEPINHERITANCE', b('false'))),
    { value: { ClassName: 'C', LocalOnly: true, DeepInheritance: false, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null } }],
  ['empty PropertyList element = NULL, empty array = no properties', call('GetClass', p('ClassName', '<CLASSNAME NAME="C"/>') + p('PropertyList', '')),
    { value: { ClassName: 'C', LocalOnly: true, IncludeQualifiers: true, IncludeClassOrigin: false, PropertyList: null } }],
  ['PropertyList values', call('GetClass', p('ClassName', '<CLASSNAME NAME="C"/>') + p('PropertyList', '<VALUE.ARRAY><VALUE>a</VALUE><VALUE>B</VALUE></VALUE.ARRAY>')),
    { value: { ClassName: 'C', LocalOnly: true, IncludeQualifiers: true, IncludeClassOrigin: false, PropertyList: ['a', 'B'] } }],
  ['EnumerateClassNames: NULL ClassName', call('EnumerateClassNames', p('ClassName', '')), { value: { ClassName: null, DeepInheritance: false } }],
  ['pull open defaults', call('OpenEnumerateInstancePaths', p('ClassName', '<CLASSNAME NAME="C"/>') + p('OperationTimeout', b('30'))),
    { value: { ClassName: 'C', FilterQueryLanguage: null, FilterQuery: null, OperationTimeout: 30, ContinueOnError: false, MaxObjectCount: 0 } }],
  ['pull needs MaxObjectCount', call('PullInstancePaths', p('EnumerationContext', b('x'))), { error: 'CIM_ERR_INVALID_PARAMETER' }],
  ['EnumerateQualifiers takes nothing', call('EnumerateQualifiers', ''), { value: {} }],
  ['unknown parameter', call('EnumerateQualifiers', p('X', '')), { error: 'CIM_ERR_INVALID_PARAMETER' }],
  ['duplicate parameter (any case)', call('GetClass', p('ClassName', '<CLASSNAME NAME="C"/>') + p('classname', '<CLASSNAME NAME="C"/>')), { error: 'CIM_ERR_INVALID_PARAMETER' }],
  ['required parameter sent empty', call('GetClass', p('ClassName', '')), { error: 'CIM_ERR_INVALID_PARAMETER' }],
  ['uint32 out of range', call('OpenEnumerateInstancePaths', p('ClassName', '<CLASSNAME NAME="C"/>') + p('MaxObjectCount', b('-1'))), BAD_VALUE],
  ['two values in one IPARAMVALUE', call('GetClass', p('ClassName', '<CLASSNAME NAME="C"/><CLASSNAME NAME="D"/>')), NOT_VALID],
  ['unknown operation is reported, not thrown', call('Frobnicate', ''), { value: { unknown: 'Frobnicate' } }],
  ['IPARAMVALUE before the namespace', '<CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="1" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="GetClass"><IPARAMVALUE NAME="ClassName"/>' + NS + '</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>', NOT_VALID],
  ['correlators are skipped', '<CIM CIMVERSION="2.1" DTDVERSION="2.4"><MESSAGE ID="1" PROTOCOLVERSION="1.4"><SIMPLEREQ><CORRELATOR NAME="c" TYPE="string"><VALUE>x</VALUE></CORRELATOR><IMETHODCALL NAME="EnumerateQualifiers">' + NS + '</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>', { value: {} }],
  ['a response is no request', '<CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="1" PROTOCOLVERSION="1.0"><SIMPLERSP/></MESSAGE></CIM>', NOT_VALID],
], (v) => {
  if (!v || typeof v !== 'object' || 'unknown' in v) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x instanceof InstanceName || x instanceof ClassName ? x.toString('wbem') : x]));
});

const mcall = (target: string, params: string) =>
  `<CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="1" PROTOCOLVERSION="1.0"><SIMPLEREQ><METHODCALL NAME="Go">${target}${params}</METHODCALL></SIMPLEREQ></MESSAGE></CIM>`;
const LIP = `<LOCALINSTANCEPATH>${NS}${IN}</LOCALINSTANCEPATH>`;
const method = (n: XNode) => {
  const env = req.decodeEnvelope(n);
  if (env.kind !== 'method') return env.kind;
  const r = req.decodeMethodRequest(env);
  return [r.ObjectName.toString('wbem'), r.MethodName, ...r.Params.map((x) => [x.name, showValue(x.value), x.spec ?? null])];
};

table('METHODCALL and PARAMVALUE', method, [
  ['instance target, untyped parameter kept as text', mcall(LIP, '<PARAMVALUE NAME="Level"><VALUE>3</VALUE></PARAMVALUE>'), { value: ['root/cimv2:C.k="v"', 'Go', ['Level', '3', null]] }],
  ['class target', mcall(`<LOCALCLASSPATH>${NS}<CLASSNAME NAME="C"/></LOCALCLASSPATH>`, ''), { value: ['root/cimv2:C', 'Go'] }],
  ['PARAMTYPE converts', mcall(LIP, '<PARAMVALUE NAME="F" PARAMTYPE="boolean"><VALUE>true</VALUE></PARAMVALUE>'), { value: ['root/cimv2:C.k="v"', 'Go', ['F', true, { type: 'boolean', isArray: false }]] }],
  ['NULL parameter', mcall(LIP, '<PARAMVALUE NAME="N"/>'), { value: ['root/cimv2:C.k="v"', 'Go', ['N', null, null]] }],
  ['typed array', mcall(LIP, '<PARAMVALUE NAME="A" PARAMTYPE="uint16"><VALUE.ARRAY><VALUE>1</VALUE><VALUE.NULL/></VALUE.ARRAY></PARAMVALUE>'), { value: ['root/cimv2:C.k="v"', 'Go', ['A', [1, null], { type: 'uint16', isArray: true }]] }],
  ['reference array', mcall(LIP, `<PARAMVALUE NAME="R" PARAMTYPE="reference"><VALUE.REFARRAY><VALUE.REFERENCE>${IN}</VALUE.REFERENCE><VALUE.NULL/></VALUE.REFARRAY></PARAMVALUE>`), { value: ['root/cimv2:C.k="v"', 'Go', ['R', ['C.k="v"', null], { type: 'reference', isArray: true }]] }],
  ['embedded instance by attribute', mcall(LIP, '<PARAMVALUE NAME="S" PARAMTYPE="string" EmbeddedObject="instance"><VALUE>&lt;INSTANCE CLASSNAME="E"/&gt;</VALUE></PARAMVALUE>'), { value: ['root/cimv2:C.k="v"', 'Go', ['S', { className: 'E', props: [] }, { type: 'string', isArray: false, embedded: 'instance' }]] }],
  ['embedded instance without any marking (WMI clients)', mcall(LIP, '<PARAMVALUE NAME="S"><VALUE>&lt;INSTANCE CLASSNAME="E"&gt;&lt;PROPERTY NAME="__CLASS" TYPE="string"&gt;&lt;VALUE&gt;E&lt;/VALUE&gt;&lt;/PROPERTY&gt;&lt;/INSTANCE&gt;</VALUE></PARAMVALUE>'), { value: ['root/cimv2:C.k="v"', 'Go', ['S', { className: 'E', props: [] }, { type: 'string', isArray: false, embedded: 'instance' }]] }],
  ['literal INSTANCE child', mcall(LIP, '<PARAMVALUE NAME="S"><INSTANCE CLASSNAME="E"/></PARAMVALUE>'), { value: ['root/cimv2:C.k="v"', 'Go', ['S', { className: 'E', props: [] }, { type: 'string', isArray: false, embedded: 'instance' }]] }],
  ['PARAMTYPE instance', mcall(LIP, '<PARAMVALUE NAME="S" PARAMTYPE="instance"><VALUE>&lt;INSTANCE CLASSNAME="E"/&gt;</VALUE></PARAMVALUE>'), { value: ['root/cimv2:C.k="v"', 'Go', ['S', { className: 'E', props: [] }, { type: 'string', isArray: false, embedded: 'instance' }]] }],
  ['bad PARAMTYPE', mcall(LIP, '<PARAMVALUE NAME="S" PARAMTYPE="int"><VALUE>1</VALUE></PARAMVALUE>'), NOT_VALID],
  ['bad typed value', mcall(LIP, '<PARAMVALUE NAME="S" PARAMTYPE="uint8"><VALUE>-1</VALUE></PARAMVALUE>'), BAD_VALUE],
  ['duplicate parameter', mcall(LIP, '<PARAMVALUE NAME="a"/><PARAMVALUE NAME="A"/>'), { error: 'CIM_ERR_INVALID_PARAMETER' }],
  ['no target', mcall('', '<PARAMVALUE NAME="a"/>'), NOT_VALID],
]);

describe('envelope versions', () => {
  const env = (cim: string, dtd: string, proto: string) =>
    `<CIM CIMVERSION="${cim}" DTDVERSION="${dtd}"><MESSAGE ID="1" PROTOCOLVERSION="${proto}"><SIMPLEREQ><IMETHODCALL NAME="EnumerateQualifiers">${NS}</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>`;
  const rows: [string, string, string][] = [
    ['2.0/2.0/1.0 accepted', env('2.0', '2.0', '1.0'), 'ok'],
    ['minor versions accepted', env('2.6', '2.4', '1.4'), 'ok'],
    ['CIMVERSION 3.0', env('3.0', '2.0', '1.0'), 'unsupported-cim-version'],
    ['DTDVERSION 3.0', env('2.0', '3.0', '1.0'), 'unsupported-dtd-version'],
    ['PROTOCOLVERSION 2.0', env('2.0', '2.0', '2.0'), 'unsupported-protocol-version'],
  ];
  for (const [desc, xml, exp] of rows) {
    it(desc, () => {
      const got = outcome(() => req.decodeEnvelope(parseXml(xml)));
      expect('error' in got ? got.error : 'ok').to.equal(exp);
    });
  }
});

describe('value errors name the place and the text (DSP0200 4.3)', () => {
  const inst = (prop: string) => `<INSTANCE CLASSNAME="C">${prop}</INSTANCE>`;
  const rows: [string, () => unknown, RegExp][] = [
    ['array element', () => obj.decodeInstance(parseXml(inst('<PROPERTY.ARRAY NAME="Ports" TYPE="uint16"><VALUE.ARRAY><VALUE>1</VALUE><VALUE>{1</VALUE></VALUE.ARRAY></PROPERTY.ARRAY>'))), /^property Ports\[1\]: .*"\{1"/],
    ['typed parameter', () => req.decodeMethodRequest(req.decodeEnvelope(parseXml(mcall(LIP, '<PARAMVALUE NAME="Count" PARAMTYPE="uint32"><VALUE>many</VALUE></PARAMVALUE>'))) as req.MethodEnvelope), /^parameter Count: .*"many"/],
    ['key value', () => val.decodeInstanceName(parseXml('<INSTANCENAME CLASSNAME="C"><KEYBINDING NAME="Slot"><KEYVALUE VALUETYPE="numeric" TYPE="uint8">256</KEYVALUE></KEYBINDING></INSTANCENAME>')), /^key Slot: .*256/],
    ['numeric key without TYPE', () => val.decodeInstanceName(parseXml('<INSTANCENAME CLASSNAME="C"><KEYBINDING NAME="Slot"><KEYVALUE VALUETYPE="numeric">4x</KEYVALUE></KEYBINDING></INSTANCENAME>')), /^key Slot: "4x" is not a number/],
  ];
  for (const [desc, fn, re] of rows) {
    it(desc, () => {
      expect(fn).to.throw(CimError).that.satisfies((e: CimError) => e.code === 4 && re.test(e.description));
    });
  }

  it('a bad key value in the METHODCALL target is a CIM error of that call', () => {
    const target = LIP.replace('<KEYVALUE>v</KEYVALUE>', '<KEYVALUE TYPE="boolean">perhaps</KEYVALUE>');
    expect(() => req.decodeEnvelope(parseXml(mcall(target, ''))))
      .to.throw(req.EnvelopeCimError)
      .that.satisfies((e: req.EnvelopeCimError) => e.call.kind === 'method' && e.call.id === '1' && e.call.name === 'Go' && e.error.code === 4 && /^key k: .*"perhaps"/.test(e.error.description));
  });
});
