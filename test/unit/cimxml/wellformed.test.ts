/**
 * The well-formedness pass (wellformed.ts) and the strict entity decoding of xml-parse.ts:
 * a table of documents, each accepted or refused with a CIMError value. Where xmllint is
 * installed, it must agree on every row that is about XML itself (not our limits or our
 * refusal of DTDs).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { ProtocolError } from '../../../src/cimxml/errors.js';
import { parseXml } from '../../../src/cimxml/xml-parse.js';

const ok = 'ok';
const WF = 'request-not-well-formed';
const NV = 'request-not-valid';

/** [description, document, expected, xmllint should agree] */
const ROWS: [string, string, string, boolean][] = [
  ['minimal', '<a/>', ok, true],
  ['declaration, comment, whitespace', '<?xml version="1.0" encoding="utf-8" ?>\n<!-- c --><a>\n</a>\n', ok, true],
  ['attributes in both quote styles with > inside', `<a x="1>2" y='z'/>`, ok, true],
  ['CDATA with markup', '<a><![CDATA[<b>&</b>]]></a>', ok, true],
  ['references', '<a x="&quot;&#65;">&lt;&amp;&gt;&apos;&#x1F600;</a>', ok, true],
  ['end tag with space', '<a></a >', ok, true],
  ['unclosed element', '<a><b></a>', WF, true],
  ['end tag never opened', '<a></a></a>', WF, true],
  ['missing end tag at the end', '<a><b></b>', WF, true],
  ['two roots', '<a/><b/>', WF, true],
  ['text before the root', 'x<a/>', WF, true],
  ['text after the root', '<a/>x', WF, true],
  ['no root', '<?xml version="1.0"?>', WF, true],
  ['duplicate attribute', '<a x="1" x="2"/>', WF, true],
  ['unquoted attribute', '<a x=1/>', WF, true],
  ['< in an attribute value', '<a x="<"/>', WF, true],
  ['attributes without space', '<a x="1"y="2"/>', WF, true],
  ['bad element name', '<1a/>', WF, true],
  ['bare ampersand', '<a>1 & 2</a>', WF, true],
  ['reference without semicolon', '<a>&amp</a>', WF, true],
  ['undeclared entity', '<a>&nbsp;</a>', WF, true],
  ['unterminated comment', '<a><!-- x </a>', WF, true],
  ['unterminated CDATA', '<a><![CDATA[ x </a>', WF, true],
  ['character reference to NUL', '<a>&#0;</a>', NV, false],
  ['DOCTYPE', '<!DOCTYPE a><a/>', NV, false],
  ['ENTITY declaration anywhere', '<a><!ENTITY x "y"></a>', NV, false],
  ['nesting beyond the limit', '<a>'.repeat(65) + '</a>'.repeat(65), NV, false],
  ['nesting at the limit', '<a>'.repeat(64) + '</a>'.repeat(64), ok, true],
];

function decide(doc: string): string {
  try {
    parseXml(doc, { maxDepth: 64, maxElements: 1000 });
    return ok;
  } catch (e) {
    if (e instanceof ProtocolError) return e.cimError ?? String(e.status);
    throw e;
  }
}

const xmllint = spawnSync('xmllint', ['--version']).status === 0;

describe('well-formedness and limits', () => {
  for (const [desc, doc, exp, lint] of ROWS) {
    it(`${desc} -> ${exp}`, () => {
      expect(decide(doc)).to.equal(exp);
      if (xmllint && lint) {
        const r = spawnSync('xmllint', ['--noout', '-'], { input: doc });
        expect(r.status === 0 ? ok : WF, `xmllint on ${desc}`).to.equal(exp);
      }
    });
  }

  it('counts elements', () => {
    expect(decide('<a>' + '<b/>'.repeat(999) + '</a>')).to.equal(ok);
    expect(decide('<a>' + '<b/>'.repeat(1000) + '</a>')).to.equal(NV);
  });
});
