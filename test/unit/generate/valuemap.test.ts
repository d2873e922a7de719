import { expect } from 'chai';
import { CIMap } from '../../../src/cim/names.js';
import type { Qualifier } from '../../../src/cim/qualifier.js';
import type { CIMType } from '../../../src/cim/types.js';
import { nameConstants, sanitizeIdentifier, valueMapOf } from '../../../src/mof/emit/valuemap.js';
import { q } from './fixture.js';

describe('generate: identifiers from Values text', () => {
  const cases: Array<[string, string]> = [
    ['Enabled', 'Enabled'],
    ['Not Applicable', 'NotApplicable'],
    ['Enabled but Offline', 'EnabledButOffline'],
    ['In Test', 'InTest'],
    ['802.1Q', '_8021Q'],
    ['DMTF Reserved', 'DMTFReserved'],
    ['Vendor-specific (0x8000..)', 'VendorSpecific0x8000'],
    ['Défaut', 'Defaut'],
    ['', 'Value'],
    ['!!!', 'Value'],
  ];
  for (const [text, expected] of cases) it(`${JSON.stringify(text)} -> ${expected}`, () => expect(sanitizeIdentifier(text)).to.equal(expected));

  it('resolves collisions by value, deterministically', () => {
    const named = nameConstants([['OK', '2'], ['Degraded', '3'], ['OK', '4'], ['o k', '5']]);
    expect(named.map((n) => n.name)).to.deep.equal(['OK_2', 'Degraded', 'OK_4', 'OK_5']);
  });
});

describe('generate: ValueMap to literal union', () => {
  const vm = (map: string[], values?: string[]) => {
    const m = new CIMap<Qualifier>([['ValueMap', q('ValueMap', 'string', map)]]);
    if (values) m.set('Values', q('Values', 'string', values));
    return m;
  };
  const cases: Array<{ what: string; type: CIMType; map: string[]; values?: string[]; literals: string[] | undefined; open?: boolean; names?: string[] }> = [
    { what: 'plain integers', type: 'uint16', map: ['2', '3'], values: ['Enabled', 'Disabled'], literals: ['2', '3'], open: false, names: ['Enabled', 'Disabled'] },
    { what: 'a range widens', type: 'uint32', map: ['0', '4096', '..'], values: ['OK', 'Job', 'Reserved'], literals: ['0', '4096'], open: true, names: ['OK', 'Job'] },
    { what: 'vendor range widens', type: 'uint16', map: ['1', '0x8000..'], literals: ['1'], open: true, names: [] },
    { what: '64-bit as bigint literals', type: 'uint64', map: ['1', '2'], values: ['A', 'B'], literals: ['1n', '2n'], open: false, names: ['A', 'B'] },
    { what: 'hex entries', type: 'uint8', map: ['0x10'], values: ['Sixteen'], literals: ['16'], open: false, names: ['Sixteen'] },
    { what: 'string ValueMap', type: 'string', map: ['Automatic', 'Manual'], values: ['Auto', 'Manual'], literals: ['"Automatic"', '"Manual"'], open: false, names: ['Auto', 'Manual'] },
    { what: 'missing Values: no constants', type: 'uint16', map: ['2'], literals: ['2'], open: false, names: [] },
    { what: 'boolean ignores ValueMap', type: 'boolean', map: ['1'], literals: undefined },
    { what: 'duplicate map entries dedupe', type: 'uint16', map: ['2', '2'], values: ['A', 'B'], literals: ['2'], open: false, names: ['A', 'B'] },
  ];
  for (const c of cases) {
    it(c.what, () => {
      const info = valueMapOf(c.type, vm(c.map, c.values));
      if (c.literals === undefined) return expect(info).to.equal(undefined);
      expect(info?.literals).to.deep.equal(c.literals);
      expect(info?.open).to.equal(c.open);
      expect(info?.constants.map((x) => x.name)).to.deep.equal(c.names);
    });
  }
  it('no ValueMap: undefined', () => expect(valueMapOf('uint16', new CIMap())).to.equal(undefined));
});
