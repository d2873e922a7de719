import { expect } from 'chai';
import { join } from 'node:path';
import { compileProject } from '../../../src/mof/emit/project.js';
import { loadNamespaces, loadRepository } from '../../../src/generated/load.js';
import { Repository, compileText, formatDiagnostic } from '../../../src/mof/index.js';
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

// The recipe for `serve --extra-mof`: load the descriptors into a compiler Repository, then
// compile extra MOF into it (its classes may derive from the generated ones).
describe('generate: extra MOF compiles on top of the loaded descriptors', () => {
  it('resolves a subclass of a generated class', () => {
    const repo = new Repository();
    for (const ns of loadNamespaces()) {
      repo.addNamespace(ns.namespace);
      for (const q of ns.qualifierDecls) repo.addQualifierDecl(ns.namespace, q);
      for (const c of ns.classes) repo.addClass(ns.namespace, c);
      for (const i of ns.instances) repo.addInstance(ns.namespace, i);
    }
    const mof = 'class Extra_Port : Msvm_SwitchPort { [Description ("extra")] uint32 Weight = 3; };';
    const r = compileText(mof, 'extra.mof', { namespace: 'root/virtualization', into: repo });
    expect(r.errors, r.diagnostics.map(formatDiagnostic).join('\n')).to.equal(0);
    const extra = repo.getClass('root/virtualization', 'extra_port')!;
    expect(extra.superclass).to.equal('Msvm_SwitchPort');
    expect(extra.keys).to.deep.equal(repo.getClass('root/virtualization', 'Msvm_SwitchPort')!.keys);
    expect(extra.properties.get('ElementName')).to.include({ classOrigin: 'CIM_ManagedElement', propagated: true });
    expect(repo.isSubclassOf('root/virtualization', 'Extra_Port', 'CIM_ManagedElement')).to.equal(true);
  });
});
