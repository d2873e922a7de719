import { expect } from 'chai';
import { CIMap, ciEq, ciKey } from '../../../src/cim/names.js';

describe('cim/names', () => {
  const eqCases: [string, string, boolean][] = [
    ['Msvm_SwitchPort', 'MSVM_SWITCHPORT', true],
    ['LANEndpoint', 'LANEndPoint', true],
    ['Name', 'Names', false],
    ['', '', true],
  ];
  for (const [a, b, want] of eqCases) {
    it(`ciEq(${a}, ${b}) is ${want}`, () => expect(ciEq(a, b)).to.equal(want));
  }
  it('CIMap keeps the first spelling and insertion order', () => {
    const m = new CIMap<number>();
    m.set('ElementName', 1).set('Name', 2).set('ELEMENTNAME', 3);
    expect([...m.keys()]).to.deep.equal(['ElementName', 'Name']);
    expect(m.get('elementname')).to.equal(3);
    expect(m.nameOf('NAME')).to.equal('Name');
    expect(ciKey('AbC')).to.equal('abc');
  });
});
