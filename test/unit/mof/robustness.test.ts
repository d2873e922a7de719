/**
 * The compiler never throws on bad input: seeded random mutations of a valid MOF text
 * (deleted runs, inserted punctuation and keywords, truncation) always come back as a
 * result with diagnostics.
 */
import { expect } from 'chai';
import { compileText } from '../../../src/mof/index.js';
import { PRELUDE, preludeRepository } from './prelude.js';

const SAMPLE = `
#pragma locale ("en_US")
[Description("A leaf" " with text"), Version("2.0.0")]
class R_Leaf : T_Leaf {
    [Override("Name"), MaxLen(32)] string Name = "leaf";
    uint16 Codes[] = {1, 0x2, 011, 101b};
    real64 Ratio = -1.5e-3;
    char16 Sep = '\\x2C';
    datetime Since = "20240101000000.000000+000";
    [ValueMap{"0", "1", ".."}, Values{"A", "B", "C"}] uint32 Go([In] string S, [Out] T_Base REF Job);
};
[Association] class R_Link : T_Assoc { [Override("A"), Max(1)] R_Leaf REF A; };
instance of R_Leaf as $one { Id = "one"; Codes = {3}; };
instance of R_Link { A = $one; B = "T_Leaf.Id=\\"two\\""; };
`;

describe('mof robustness', () => {
  it('the sample compiles cleanly', () => {
    const r = compileText(SAMPLE, 's.mof', { into: preludeRepository() });
    expect(r.diagnostics).to.deep.equal([]);
    expect(r.stats).to.deep.equal({ classes: 2, qualifiers: 0, instances: 2 });
  });

  it('survives 300 seeded random mutations without throwing', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
    const junk = ['{', '}', ';', '"', "'", '[', ']', '(', ')', ',', '$', '#', '=', ':', '/*', '//', '\\', 'ref',
      'class', '0x', '-', '.', '\n', 'null', 'instance of', 'Qualifier', '#pragma include ("s.mof")', '\u00e9'];
    const text = PRELUDE + SAMPLE;
    let diagnostics = 0;
    for (let i = 0; i < 300; i++) {
      let t = text;
      for (let m = 1 + Math.floor(rnd() * 4); m > 0; m--) {
        const p = Math.floor(rnd() * t.length);
        const k = rnd();
        if (k < 0.35) t = t.slice(0, p) + t.slice(p + 1 + Math.floor(rnd() * 12));
        else if (k < 0.9) t = t.slice(0, p) + junk[Math.floor(rnd() * junk.length)] + t.slice(p);
        else t = t.slice(0, p);
      }
      const r = compileText(t, `m${i}.mof`);
      expect(r.errors).to.equal(r.diagnostics.filter((d) => d.severity === 'error').length);
      for (const d of r.diagnostics) expect(d.line).to.be.at.least(1);
      diagnostics += r.diagnostics.length;
    }
    expect(diagnostics).to.be.greaterThan(300);
  });
});
