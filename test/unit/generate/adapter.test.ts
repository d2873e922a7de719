import { expect } from 'chai';
import { CimError } from '../../../src/cim/errors.js';
import { CIMInstance } from '../../../src/cim/instance.js';
import { CIMap } from '../../../src/cim/names.js';
import { InstanceName } from '../../../src/cim/path.js';
import type { CIMValue } from '../../../src/cim/types.js';
import { loadRepository } from '../../../src/generated/load.js';
import { Msvm_VirtualSwitchManagementService as VSMS } from '../../../src/generated/root-virtualization/index.js';
import type { Msvm_VirtualSwitch, Msvm_VirtualSwitchKey, Msvm_VirtualSwitchManagementServiceMethods, Msvm_ActiveConnection } from '../../../src/generated/root-virtualization/index.js';
import { untypedProvider } from '../../../src/generated/runtime.js';
import type { ProviderContext } from '../../../src/generated/runtime.js';

// untypedProvider(): typed providers (plain objects) behind cimom's CIMInstance contract.
const NS = 'root/virtualization';
const repository = loadRepository();
const ctxFor = (className: string): ProviderContext => ({
  namespace: NS,
  cls: repository.getClass(NS, className)!,
  repository,
  user: 'admin',
  role: 'admin',
  host: 'host1',
});
const swName = (name: string) => InstanceName.of('Msvm_VirtualSwitch', { CreationClassName: 'Msvm_VirtualSwitch', Name: name });

function switchStore() {
  const calls: unknown[] = [];
  const rows = new Map<string, Msvm_VirtualSwitch>([['a', { CreationClassName: 'Msvm_VirtualSwitch', Name: 'a', ElementName: 'A', EnabledState: 2 }]]);
  const p = untypedProvider<Msvm_VirtualSwitch, Msvm_VirtualSwitchKey>({
    instances: {
      enumerate: () => rows.values(),
      get: (key) => (calls.push(['get', key]), rows.get(key.Name)),
      create: (inst) => (rows.set(inst.Name, inst), { CreationClassName: inst.CreationClassName, Name: inst.Name }),
      modify: async (key, changes) => void calls.push(['modify', key, changes]),
      delete: (key) => void rows.delete(key.Name),
    },
  });
  return { p, calls, rows };
}

describe('generate: untypedProvider adapter', () => {
  const ctx = ctxFor('Msvm_VirtualSwitch');

  it('enumerates typed objects as instances of ctx.cls with declared types', async () => {
    const { p } = switchStore();
    const [inst] = [...(await p.enumerateInstances!(ctx))];
    expect(inst.className).to.equal('Msvm_VirtualSwitch');
    expect(inst.get('elementname')).to.equal('A');
    expect(inst.properties.get('EnabledState')).to.include({ name: 'EnabledState', type: 'uint16', isArray: false, value: 2 });
  });
  it('gets by key object built from the instance name; undefined when absent', async () => {
    const { p, calls } = switchStore();
    expect((await p.getInstance!(ctx, swName('a')))?.get('Name')).to.equal('a');
    expect(await p.getInstance!(ctx, swName('zz'))).to.equal(undefined);
    expect(calls[0]).to.deep.equal(['get', { CreationClassName: 'Msvm_VirtualSwitch', Name: 'a' }]);
  });
  it('creates from an instance and answers its name', async () => {
    const { p, rows } = switchStore();
    const inst = new CIMInstance('Msvm_VirtualSwitch');
    inst.set('creationclassname', 'Msvm_VirtualSwitch', { type: 'string', isArray: false }).set('Name', 'b', { type: 'string', isArray: false });
    const name = await p.createInstance!(ctx, inst);
    expect(name.toRelative()).to.equal('Msvm_VirtualSwitch.CreationClassName="Msvm_VirtualSwitch",Name="b"');
    expect(rows.get('b')).to.deep.equal({ CreationClassName: 'Msvm_VirtualSwitch', Name: 'b' });
  });
  it('modifies only the listed properties (absent = NULL), then deletes', async () => {
    const { p, calls, rows } = switchStore();
    const inst = Object.assign(new CIMInstance('Msvm_VirtualSwitch'), { path: swName('a') });
    inst.set('ElementName', 'renamed', { type: 'string', isArray: false });
    await p.modifyInstance!(ctx, inst, ['elementname', 'Caption']);
    expect(calls).to.deep.equal([['modify', { CreationClassName: 'Msvm_VirtualSwitch', Name: 'a' }, { ElementName: 'renamed', Caption: null }]]);
    await p.deleteInstance!(ctx, swName('a'));
    expect(rows.size).to.equal(0);
  });
  it('rejects a property the class does not have, and a name without its keys', async () => {
    const p = untypedProvider<object, object>({ instances: { enumerate: () => [{ Name: 'x', Bogus: 1 }], get: () => undefined } });
    const err = await p.enumerateInstances!(ctx).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(CimError).and.include({ code: 1 });
    expect((err as Error).message).to.match(/Bogus/);
    const err2 = await p.getInstance!(ctx, InstanceName.of('Msvm_VirtualSwitch', { Name: 'a' })).then(() => null, (e: unknown) => e);
    expect(err2).to.be.instanceOf(CimError).and.include({ code: 4 });
  });

  describe('methods', () => {
    const sctx = ctxFor('Msvm_VirtualSwitchManagementService');
    const method = (n: string) => sctx.cls.methods.get(n)!;
    const seen: unknown[] = [];
    const service: Pick<Msvm_VirtualSwitchManagementServiceMethods, 'CreateSwitch'> = {
      CreateSwitch: async (params, c) => {
        seen.push(params, c.target);
        return { ReturnValue: VSMS.CreateSwitch.ReturnValue.CompletedWithNoError, out: { CreatedVirtualSwitch: swName(params.Name ?? '') } };
      },
    };
    const p = untypedProvider({ methods: service });
    it('passes IN parameters by declared name and returns ReturnValue and OUT parameters', async () => {
      const target = InstanceName.of('Msvm_VirtualSwitchManagementService', { Name: 'nvspwmi' });
      const params = new CIMap<CIMValue>([['name', 'sw1'], ['NUMLEARNABLEADDRESSES', 1024]]);
      const r = await p.invokeMethod!(sctx, target, method('CreateSwitch'), params);
      expect(seen).to.deep.equal([{ Name: 'sw1', NumLearnableAddresses: 1024 }, target]);
      expect(r.returnValue).to.equal(0);
      expect((r.out!.CreatedVirtualSwitch as InstanceName).key('Name')).to.equal('sw1');
    });
    it('answers CIM_ERR_NOT_SUPPORTED for a method the provider lacks', async () => {
      const err = await p.invokeMethod!(sctx, swName('a'), method('DeleteSwitch'), new CIMap()).then(() => null, (e: unknown) => e);
      expect(err).to.be.instanceOf(CimError).and.include({ code: 7 });
    });
  });

  it('serves association references through the typed provider', async () => {
    const actx = ctxFor('Msvm_ActiveConnection');
    const link: Msvm_ActiveConnection = { Antecedent: swName('a'), Dependent: swName('b') };
    const p = untypedProvider<Msvm_ActiveConnection, object>({
      associations: { references: (_o, role) => (role === 'Dependent' ? [] : [link]) },
    });
    const refs = [...(await p.referencesTo!(actx, swName('a'), null))];
    expect(refs).to.have.length(1);
    expect(refs[0].properties.get('Antecedent')).to.include({ type: 'reference', value: link.Antecedent });
    expect([...(await p.referencesTo!(actx, swName('a'), 'Dependent'))]).to.deep.equal([]);
  });
});
