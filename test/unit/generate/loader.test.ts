import { expect } from 'chai';
import { join } from 'node:path';
import { compileProject } from '../../../src/mof/emit/project.js';
import { loadRepository } from '../../../src/generated/load.js';
import { canonical } from './canonical.js';
import { REPO_ROOT } from './roundtrip.js';

// The checked-in descriptor tables must rebuild exactly what a fresh compile of mof/ gives.
describe('generate: loadRepository() equals a fresh compile of mof/', () => {
  const project = compileProject(join(REPO_ROOT, 'mof'));
  const loaded = loadRepository();

  it('compiles without errors', () => expect(project.errors, project.messages.join('\n')).to.equal(0));
  it('serves the same namespaces', () => {
    expect(loaded.namespaces()).to.have.members(project.inputs.map((i) => i.namespace));
  });
  for (const { namespace, repository } of project.inputs) {
    describe(namespace, () => {
      it('same classes in definition order and hierarchy', () => {
        expect(loaded.classNames(namespace)).to.deep.equal(repository.classNames(namespace));
        expect(loaded.subclassNames(namespace, undefined, true)).to.deep.equal(repository.subclassNames(namespace, undefined, true));
        expect(loaded.subclassNames(namespace, undefined, false)).to.deep.equal(repository.subclassNames(namespace, undefined, false));
      });
      it('every class identical (qualifiers, defaults, classOrigin, propagated, keys, methods)', () => {
        for (const name of repository.classNames(namespace)) {
          expect(canonical(loaded.getClass(namespace, name)), name).to.deep.equal(canonical(repository.getClass(namespace, name)));
          expect(loaded.subclassNames(namespace, name, true), name).to.deep.equal(repository.subclassNames(namespace, name, true));
        }
      });
      it('same qualifier declarations and instances', () => {
        expect(canonical(loaded.qualifierDecls(namespace))).to.deep.equal(canonical(repository.qualifierDecls(namespace)));
        expect(canonical(loaded.instances(namespace))).to.deep.equal(canonical(repository.instances(namespace)));
      });
    });
  }
});
