/**
 * Unit tables for the writer and the encoders: escaping (text, attributes, characters XML
 * cannot carry), KEYVALUE types, values of each kind, and that encoded objects decode back
 * to what was encoded (embedded instances included).
 */
import { expect } from 'chai';
import { CIMDateTime } from '../../../src/cim/datetime.js';
import { CIMInstance } from '../../../src/cim/instance.js';
import { ClassName, InstanceName } from '../../../src/cim/path.js';
import type { CIMTypeSpec, CIMValue } from '../../../src/cim/types.js';
import { decodeInstance } from '../../../src/cimxml/decode-object.js';
import { embeddedObjectText, writeInstance } from '../../../src/cimxml/encode-object.js';
import { writeErrorResponse } from '../../../src/cimxml/encode-response.js';
import { writeAnyValue, writeInstanceName, writeValueReference } from '../../../src/cimxml/encode-value.js';
import { parseXml } from '../../../src/cimxml/xml-parse.js';
import { XmlWriter, escapeAttr, escapeText } from '../../../src/cimxml/xml-writer.js';

describe('XML escaping', () => {
  const rows: [string, string, string, string][] = [
    ['plain text untouched', 'abc', 'abc', 'abc'],
    ['markup characters', '<a & "b">', '&lt;a &amp; "b"&gt;', '&lt;a &amp; &quot;b&quot;&gt;'],
    ['whitespace kept in text, escaped in attributes', 'a\tb\nc\rd', 'a\tb\nc&#13;d', 'a&#9;b&#10;c&#13;d'],
    ['C0 controls become U+FFFD', 'a\u0001b\u001fc', 'a\ufffdb\ufffdc', 'a\ufffdb\ufffdc'],
    ['surrogate pair kept, lone surrogate replaced', 'x\ud83d\ude00y\ud800z', 'x\ud83d\ude00y\ufffdz', 'x\ud83d\ude00y\ufffdz'],
    ['U+FFFE replaced', 'a\ufffe', 'a\ufffd', 'a\ufffd'],
  ];
  for (const [desc, input, text, attr] of rows) {
    it(desc, () => {
      expect(escapeText(input)).to.equal(text);
      expect(escapeAttr(input)).to.equal(attr);
    });
  }
});

describe('writer', () => {
  it('writes EMPTY elements self-closed and others with an end tag', () => {
    const w = new XmlWriter();
    w.empty('CLASSNAME', { NAME: 'a' });
    w.empty('PROPERTY', { NAME: 'p', TYPE: 'string', CLASSORIGIN: undefined });
    expect(w.text()).to.equal('<CLASSNAME NAME="a"/><PROPERTY NAME="p" TYPE="string"></PROPERTY>');
  });

  it('hands large output to the sink in pieces', async () => {
    const pieces: string[] = [];
    const w = new XmlWriter({ write: (s) => void pieces.push(Buffer.concat(s).toString()) });
    for (let i = 0; i < 2000; i++) {
      w.textElement('VALUE', 'x'.repeat(100));
      await w.maybeFlush();
    }
    await w.flush();
    expect(pieces.length).to.be.greaterThan(3);
    expect(pieces.join('').length).to.equal(2000 * 115);
  });
});

describe('value encoders', () => {
  const spec = (type: CIMTypeSpec['type'], isArray = false, embedded?: 'instance'): CIMTypeSpec => ({ type, isArray, embedded });
  const rows: [string, CIMTypeSpec, CIMValue, string][] = [
    ['boolean', spec('boolean'), true, '<VALUE>TRUE</VALUE>'],
    ['uint64 maximum', spec('uint64'), 18446744073709551615n, '<VALUE>18446744073709551615</VALUE>'],
    ['sint8', spec('sint8'), -128, '<VALUE>-128</VALUE>'],
    ['real64', spec('real64'), 0.1, '<VALUE>0.1</VALUE>'],
    ['real32 shortest form', spec('real32'), Math.fround(0.1), '<VALUE>0.1</VALUE>'],
    ['real64 infinity', spec('real64'), -Infinity, '<VALUE>-INF</VALUE>'],
    ['datetime', spec('datetime'), CIMDateTime.parse('20240131124502.123456+060'), '<VALUE>20240131124502.123456+060</VALUE>'],
    ['string escaped', spec('string'), 'a<b', '<VALUE>a&lt;b</VALUE>'],
    ['empty string is not NULL', spec('string'), '', '<VALUE></VALUE>'],
    ['NULL writes nothing', spec('string'), null, ''],
    ['array with NULL', spec('uint8', true), [1, null], '<VALUE.ARRAY><VALUE>1</VALUE><VALUE.NULL/></VALUE.ARRAY>'],
    ['empty array', spec('string', true), [], '<VALUE.ARRAY></VALUE.ARRAY>'],
    ['embedded instance escaped once', spec('string', false, 'instance'), new CIMInstance('E', [{ name: 'x', type: 'string', isArray: false, value: '<&>' }]),
      '<VALUE>&lt;INSTANCE CLASSNAME="E"&gt;&lt;PROPERTY NAME="x" TYPE="string"&gt;&lt;VALUE&gt;&amp;lt;&amp;amp;&amp;gt;&lt;/VALUE&gt;&lt;/PROPERTY&gt;&lt;/INSTANCE&gt;</VALUE>'],
  ];
  for (const [desc, s, v, exp] of rows) {
    it(desc, () => {
      const w = new XmlWriter();
      writeAnyValue(w, s, v);
      expect(w.text()).to.equal(exp);
    });
  }

  it('refuses a value of the wrong type with a CIM error', () => {
    expect(() => writeAnyValue(new XmlWriter(), spec('uint8'), 'x')).to.throw(/uint8/);
  });
});

describe('name encoders', () => {
  const rows: [string, InstanceName | ClassName, string][] = [
    ['typed keys inferred from values', InstanceName.of('C', { s: 'x', n: 5, neg: -5, big: 2n ** 40n, b: false }),
      '<VALUE.REFERENCE><INSTANCENAME CLASSNAME="C"><KEYBINDING NAME="b"><KEYVALUE VALUETYPE="boolean" TYPE="boolean">FALSE</KEYVALUE></KEYBINDING>' +
      '<KEYBINDING NAME="big"><KEYVALUE VALUETYPE="numeric" TYPE="uint64">1099511627776</KEYVALUE></KEYBINDING>' +
      '<KEYBINDING NAME="n"><KEYVALUE VALUETYPE="numeric" TYPE="uint32">5</KEYVALUE></KEYBINDING>' +
      '<KEYBINDING NAME="neg"><KEYVALUE VALUETYPE="numeric" TYPE="sint32">-5</KEYVALUE></KEYBINDING>' +
      '<KEYBINDING NAME="s"><KEYVALUE VALUETYPE="string" TYPE="string">x</KEYVALUE></KEYBINDING></INSTANCENAME></VALUE.REFERENCE>'],
    ['namespace only: LOCALINSTANCEPATH', InstanceName.of('C', { k: 'v' }, 'root/cimv2'),
      '<VALUE.REFERENCE><LOCALINSTANCEPATH><LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH><INSTANCENAME CLASSNAME="C"><KEYBINDING NAME="k"><KEYVALUE VALUETYPE="string" TYPE="string">v</KEYVALUE></KEYBINDING></INSTANCENAME></LOCALINSTANCEPATH></VALUE.REFERENCE>'],
    ['host and namespace: INSTANCEPATH', InstanceName.of('S', {}, 'interop', 'h'),
      '<VALUE.REFERENCE><INSTANCEPATH><NAMESPACEPATH><HOST>h</HOST><LOCALNAMESPACEPATH><NAMESPACE NAME="interop"/></LOCALNAMESPACEPATH></NAMESPACEPATH><INSTANCENAME CLASSNAME="S"></INSTANCENAME></INSTANCEPATH></VALUE.REFERENCE>'],
    ['class name', new ClassName('C'), '<VALUE.REFERENCE><CLASSNAME NAME="C"/></VALUE.REFERENCE>'],
  ];
  for (const [desc, v, exp] of rows) {
    it(desc, () => {
      const w = new XmlWriter();
      writeValueReference(w, v);
      expect(w.text()).to.equal(exp);
    });
  }

  it('takes key types from the instance when it is at hand', () => {
    const inst = new CIMInstance('C', [{ name: 'k', type: 'uint16', isArray: false, value: 7 }]);
    const w = new XmlWriter();
    writeInstanceName(w, InstanceName.of('C', { k: 7 }), inst);
    expect(w.text()).to.include('<KEYVALUE VALUETYPE="numeric" TYPE="uint16">7</KEYVALUE>');
  });
});

describe('round trips', () => {
  it('an instance encodes and decodes to the same values', () => {
    const inst = new CIMInstance('C', [
      { name: 's', type: 'string', isArray: false, value: 'a & <b>' },
      { name: 'u', type: 'uint64', isArray: false, value: 5n },
      { name: 'a', type: 'sint16', isArray: true, value: [-1, null, 2] },
      { name: 'r', type: 'reference', isArray: false, value: InstanceName.of('X', { k: 'v"w' }, 'root/cimv2', 'h') },
      { name: 'e', type: 'string', isArray: false, embedded: 'instance', value: new CIMInstance('E', [{ name: 'q', type: 'boolean', isArray: false, value: true }]) },
    ]);
    const w = new XmlWriter();
    writeInstance(w, inst, { includeQualifiers: false, includeClassOrigin: false });
    const back = decodeInstance(parseXml(w.text()));
    expect(back.get('s')).to.equal('a & <b>');
    expect(back.get('u')).to.equal(5n);
    expect(back.get('a')).to.deep.equal([-1, null, 2]);
    expect((back.get('r') as InstanceName).equals(inst.get('r') as InstanceName)).to.equal(true);
    const e = back.get('e') as CIMInstance;
    expect(e.className).to.equal('E');
    expect(e.get('q')).to.equal(true);
    expect(parseXml(embeddedObjectText(e)).name).to.equal('INSTANCE');
  });

  it('an error response carries the code and the symbolic name', () => {
    const w = new XmlWriter();
    writeErrorResponse(w, 'm"1', 'GetInstance', false, 6, 'no such <thing>');
    expect(w.text()).to.include('<MESSAGE ID="m&quot;1" PROTOCOLVERSION="1.0">');
    expect(w.text()).to.include('<ERROR CODE="6" DESCRIPTION="CIM_ERR_NOT_FOUND: no such &lt;thing&gt;"></ERROR>');
  });
});
