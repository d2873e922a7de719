/**
 * End to end: the real `cimswitch serve` process driven by sblim wbemcli over HTTPS (-noverify,
 * admin:password in the URL). The fixture classes (test/fixtures/wbemcli/wbt.mof, compiled into
 * root/cimv2 with --extra-mof) have two keys, most CIM types, arrays, a subclass, an association
 * and a method. Every test reads wbemcli's answer back (values, paths, counts), not only its exit
 * code. The tests run in order and build on each other's instances.
 */
import { expect } from 'chai';
import path from 'node:path';
import { type CliServer, REPO_ROOT, startCliServer } from '../../helpers/cli-server.js';
import { lines, ok, parseObject, parseObjects, parsePath, wbemcli } from './wbemcli.js';
import { requireTool } from '../../helpers/require.js';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'wbemcli', 'wbt.mof');

// CIM status codes (DSP0200 annex)
const INVALID_NAMESPACE = 3, INVALID_PARAMETER = 4, INVALID_CLASS = 5, NOT_FOUND = 6, ALREADY_EXISTS = 11;
const METHOD_NOT_AVAILABLE = 16, METHOD_NOT_FOUND = 17;

describe('e2e: wbemcli against cimswitch serve (HTTPS)', function () {
  this.timeout(60_000);
  let srv: CliServer;
  let url: (ns: string) => string;
  let cimv2: string;
  const disk = (host: string, slot: number, cls = 'WBT_Disk') => `${cimv2}:${cls}.Host="${host}",Slot=${slot}`;

  before(async function () {
    requireTool('wbemcli', ['-h'], 'sblim-wbemcli');
    srv = await startCliServer({ http: false, extraMof: [{ namespace: 'root/cimv2', file: FIXTURE }], hostName: 'e2ehost' });
    url = (ns) => `https://admin:${srv.adminPassword}@127.0.0.1:${srv.httpsPort}/${ns}`;
    cimv2 = url('root/cimv2');
  });
  after(async () => {
    await srv?.stop();
  });

  describe('classes', () => {
    it('ecn lists the schema and the fixture classes in root/cimv2', async () => {
      const names = lines(await ok(['ecn', cimv2])).map((l) => parsePath(l));
      expect(names.every((n) => n.namespace === 'root/cimv2' && n.host === `127.0.0.1:${srv.httpsPort}`)).to.equal(true);
      expect(names.map((n) => n.className)).to.include.members(['CIM_ManagedElement', 'WBT_Disk', 'WBT_Volume', 'WBT_Hosts']);
    });

    it('ecn of a class lists its subclasses only', async () => {
      expect(lines(await ok(['ecn', `${cimv2}:WBT_Disk`])).map((l) => parsePath(l).className)).to.deep.equal(['WBT_Volume']);
      expect(lines(await ok(['ecn', `${cimv2}:WBT_Volume`]))).to.deep.equal([]);
    });

    it('ecn of root/virtualization lists the Msvm classes', async () => {
      const names = lines(await ok(['ecn', url('root/virtualization')])).map((l) => parsePath(l).className);
      expect(names).to.include.members(['Msvm_VirtualSwitch', 'Msvm_SwitchPort', 'Msvm_VirtualSwitchManagementService']);
    });

    it('gc -nl -t shows every property with its key and array marks', async () => {
      const c = parseObject(await ok(['gc', '-nl', '-t', `${cimv2}:WBT_Disk`]));
      expect(Object.keys(c.props)).to.deep.equal(['Host', 'Slot', 'Label', 'Level', 'Offset', 'Capacity', 'Ratio', 'Online', 'Installed', 'Tags', 'Codes']);
      expect(c.flags).to.deep.include({ Host: '#', Slot: '#', Label: '', Tags: '[]', Codes: '[]' });
    });

    it('gc of a subclass includes inherited properties; of the association, references', async () => {
      const v = parseObject(await ok(['gc', '-nl', '-t', `${cimv2}:WBT_Volume`]));
      expect(Object.keys(v.props)).to.include.members(['Host', 'Slot', 'Tags', 'Mount']);
      const a = parseObject(await ok(['gc', '-nl', '-t', `${cimv2}:WBT_Hosts`]));
      expect(a.flags).to.deep.equal({ Parent: '&#', Child: '&#', Kind: '' });
    });

    it('gc of an unknown class is CIM_ERR_NOT_FOUND, of an unknown namespace CIM_ERR_INVALID_NAMESPACE', async () => {
      expect((await wbemcli(['gc', `${cimv2}:WBT_Nope`])).cimError).to.equal(NOT_FOUND);
      expect((await wbemcli(['ecn', url('root/nope')])).cimError).to.equal(INVALID_NAMESPACE);
    });
  });

  describe('instances', () => {
    const full = 'Host="h1",Slot=1,Label="first disk",Level=7,Offset=-42,Capacity=18446744073709551615,Ratio=0.5,' +
      'Online=true,Installed="20240102030405.000000+000",Tags="a","b c",Codes=1,2,3';

    it('ci creates instances and prints their paths', async () => {
      const cases: [string, string, { cls: string; keys: Record<string, string> }][] = [
        [disk('h1', 1), full, { cls: 'WBT_Disk', keys: { Host: 'h1', Slot: '1' } }],
        [disk('h1', 2), 'Host="h1",Slot=2,Label="second"', { cls: 'WBT_Disk', keys: { Host: 'h1', Slot: '2' } }],
        [disk('h2', 1, 'WBT_Volume'), 'Host="h2",Slot=1,Label="vol",Mount="/mnt"', { cls: 'WBT_Volume', keys: { Host: 'h2', Slot: '1' } }],
      ];
      for (const [p, props, want] of cases) {
        const out = lines(await ok(['ci', p, props]));
        expect(out, p).to.have.length(1);
        const got = parsePath(out[0]);
        expect([got.className, got.namespace, got.keys]).to.deep.equal([want.cls, 'root/cimv2', want.keys]);
      }
    });

    it('gi -nl -t returns every value as stored, with its type', async () => {
      const o = parseObject(await ok(['gi', '-nl', '-t', disk('h1', 1)]));
      expect(o.props).to.deep.equal({
        Host: 'h1', Slot: '1', Label: 'first disk', Level: '7', Offset: '-42', Capacity: '18446744073709551615',
        Ratio: '0.5', Online: 'TRUE', Installed: '20240102030405.000000+000', Tags: ['a', 'b c'], Codes: ['1', '2', '3'],
      });
    });

    it('gi with a property list returns only those properties', async () => {
      const o = parseObject(await ok(['gi', '-nl', '-t', disk('h1', 1), 'Label,Codes']));
      expect(o.props).to.deep.equal({ Label: 'first disk', Codes: ['1', '2', '3'] });
      const one = await ok(['gi', disk('h1', 1), 'Capacity']);
      expect(one.trim()).to.match(/ Capacity=18446744073709551615$/);
    });

    it('gi of a subclass instance by its own class path', async () => {
      const v = parseObject(await ok(['gi', '-nl', disk('h2', 1, 'WBT_Volume'), 'Mount,Label']));
      expect(v.props).to.deep.equal({ Label: 'vol', Mount: '/mnt' });
      expect((await wbemcli(['gi', disk('h3', 1, 'WBT_Volume')])).cimError).to.equal(NOT_FOUND);
    });

    it('ci of an existing instance is CIM_ERR_ALREADY_EXISTS; without a key CIM_ERR_INVALID_PARAMETER', async () => {
      expect((await wbemcli(['ci', disk('h1', 2), 'Host="h1",Slot=2'])).cimError).to.equal(ALREADY_EXISTS);
      expect((await wbemcli(['ci', disk('h9', 9), 'Host="h9",Label="no slot"'])).cimError).to.equal(INVALID_PARAMETER);
      expect((await wbemcli(['ci', `${cimv2}:WBT_Nope.Id="x"`, 'Id="x"'])).cimError).to.equal(NOT_FOUND); // wbemcli's GetClass first
    });

    it('ein counts instances, subclasses included, and keeps each one\'s own class', async () => {
      const all = lines(await ok(['ein', `${cimv2}:WBT_Disk`])).map(parsePath);
      expect(all.map((p) => `${p.className}:${p.keys.Host}:${p.keys.Slot}`).sort())
        .to.deep.equal(['WBT_Disk:h1:1', 'WBT_Disk:h1:2', 'WBT_Volume:h2:1']);
      expect(lines(await ok(['ein', `${cimv2}:WBT_Volume`])).map((l) => parsePath(l).keys)).to.deep.equal([{ Host: 'h2', Slot: '1' }]);
    });

    it('ei -nl with a property list returns those properties of every instance', async () => {
      const objs = parseObjects(await ok(['ei', '-nl', '-t', `${cimv2}:WBT_Disk`, 'Label,Level']));
      const byLabel = Object.fromEntries(objs.map((o) => [o.props.Label, o.props]));
      expect(byLabel).to.deep.equal({
        'first disk': { Label: 'first disk', Level: '7' },
        second: { Label: 'second', Level: null },
        vol: { Label: 'vol', Level: null },
      });
    });

    it('ei without a property list includes subclass properties (deep inheritance)', async () => {
      const objs = parseObjects(await ok(['ei', '-nl', `${cimv2}:WBT_Disk`]));
      expect(objs).to.have.length(3);
      const vol = objs.find((o) => o.path.includes('WBT_Volume'));
      expect(vol?.props.Mount).to.equal('/mnt');
      expect(objs.filter((o) => 'Mount' in o.props)).to.have.length(1);
    });

    it('with -cte (TE: trailers, streamed chunked answers) ei, ein and errors read the same', async () => {
      for (const args of [['ei', '-nl', '-t', `${cimv2}:WBT_Disk`, 'Label,Tags'], ['ein', `${cimv2}:WBT_Disk`], ['gi', '-nl', disk('h1', 1)]]) {
        expect(await ok(['-cte', ...args]), args.join(' ')).to.equal(await ok(args));
      }
      expect((await wbemcli(['-cte', 'gi', disk('zz', 9)])).cimError).to.equal(NOT_FOUND); // status from the trailer
    });

    it('ei of an unknown class is CIM_ERR_INVALID_CLASS', async () => {
      expect((await wbemcli(['ei', `${cimv2}:WBT_Nope`])).cimError).to.equal(INVALID_CLASS);
    });

    it('mi changes the given properties and keeps the others', async () => {
      await ok(['mi', disk('h1', 1), 'Label="renamed",Level=9,Tags="x",Online=false']);
      const o = parseObject(await ok(['gi', '-nl', '-t', disk('h1', 1)]));
      expect(o.props).to.deep.include({ Label: 'renamed', Level: '9', Tags: ['x'], Online: 'FALSE', Capacity: '18446744073709551615', Offset: '-42' });
    });

    it('mi of a missing instance is CIM_ERR_NOT_FOUND', async () => {
      const r = await wbemcli(['mi', disk('zz', 1), 'Label="x"']);
      expect(r.cimError).to.equal(NOT_FOUND); // wbemcli reads the instance first
    });

    it('gp and sp read and write one property', async () => {
      expect((await ok(['gp', disk('h1', 2), 'Label'])).trim()).to.equal('second');
      await ok(['sp', disk('h1', 2), 'Label="set by sp"']);
      expect(parseObject(await ok(['gi', '-nl', disk('h1', 2), 'Label'])).props.Label).to.equal('set by sp');
    });
  });

  describe('associations', () => {
    const ref = (host: string, slot: number, cls = 'WBT_Disk') => `${cls}.Host="${host}",Slot=${slot}`;
    const id = (r: string) => r.replace('.Host="', ':').replace('",Slot=', ':');
    const hosts = (p: string, c: string) => `${cimv2}:WBT_Hosts.Parent=root/cimv2:${p},Child=root/cimv2:${c}`;
    /** `Parent -> Child` of a WBT_Hosts path as wbemcli prints it (keys sorted, references without their colon). */
    const assocKeys = (l: string) => {
      const m = /WBT_Hosts\.Child=\S*?(WBT_\w+\.Host="\w+",Slot=\d+),Parent=\S*?(WBT_\w+\.Host="\w+",Slot=\d+)$/.exec(l);
      if (!m) throw new Error(`not a WBT_Hosts path: ${l}`);
      return `${id(m[2])} -> ${id(m[1])}`;
    };
    const target = (l: string) => {
      const p = parsePath(l);
      return `${p.className}:${p.keys.Host}:${p.keys.Slot}`;
    };

    it('ci creates association instances with reference keys', async () => {
      for (const [p, c, kind] of [[ref('h1', 1), ref('h1', 2), 'mirror'], [ref('h1', 1), ref('h2', 1, 'WBT_Volume'), 'volume']]) {
        // wbemcli takes a reference value without host/namespace as "same as the URL"; Kind first, or
        // wbemcli's property splitter swallows it into the preceding reference
        const out = lines(await ok(['ci', hosts(p, c), `Kind="${kind}",Parent=${p},Child=${c}`]));
        expect(out.map(assocKeys)).to.deep.equal([`${id(p)} -> ${id(c)}`]);
      }
      expect(lines(await ok(['ein', `${cimv2}:WBT_Hosts`])).map(assocKeys).sort())
        .to.deep.equal(['WBT_Disk:h1:1 -> WBT_Disk:h1:2', 'WBT_Disk:h1:1 -> WBT_Volume:h2:1']);
    });

    it('gi of an association by its reference keys', async () => {
      const o = parseObject(await ok(['gi', '-nl', hosts(ref('h1', 1), ref('h1', 2)), 'Kind']));
      expect(o.props).to.deep.equal({ Kind: 'mirror' });
    });

    const ainCases: { name: string; args: string[]; from: [string, number, string?]; want: string[] }[] = [
      { name: 'all associated objects', args: [], from: ['h1', 1], want: ['WBT_Disk:h1:2', 'WBT_Volume:h2:1'] },
      { name: 'from the other end', args: [], from: ['h1', 2], want: ['WBT_Disk:h1:1'] },
      { name: 'ResultClass (-arc)', args: ['-arc', 'WBT_Volume'], from: ['h1', 1], want: ['WBT_Volume:h2:1'] },
      { name: 'AssocClass (-ac)', args: ['-ac', 'WBT_Hosts'], from: ['h1', 1], want: ['WBT_Disk:h1:2', 'WBT_Volume:h2:1'] },
      { name: 'Role (-ar) it does not play', args: ['-ar', 'Child'], from: ['h1', 1], want: [] },
      { name: 'Role (-ar) it plays', args: ['-ar', 'Parent'], from: ['h1', 1], want: ['WBT_Disk:h1:2', 'WBT_Volume:h2:1'] },
      { name: 'ResultRole (-arr)', args: ['-arr', 'Parent'], from: ['h2', 1, 'WBT_Volume'], want: ['WBT_Disk:h1:1'] },
      { name: 'ResultClass that no associated object has', args: ['-arc', 'WBT_Volume'], from: ['h1', 2], want: [] },
    ];
    for (const c of ainCases) {
      it(`ain: ${c.name}`, async () => {
        const got = lines(await ok(['ain', ...c.args, disk(...c.from)])).map(target);
        expect(got.sort()).to.deep.equal(c.want);
      });
    }

    it('ai -nl with a property list returns the associated instances\' values', async () => {
      const objs = parseObjects(await ok(['ai', '-nl', disk('h1', 1), 'Label']));
      expect(objs.map((o) => `${target(o.path)}=${o.props.Label}`).sort()).to.deep.equal(['WBT_Disk:h1:2=set by sp', 'WBT_Volume:h2:1=vol']);
    });

    it('rin lists the associations that refer to an instance, filtered by role', async () => {
      expect(lines(await ok(['rin', disk('h1', 1)])).map(assocKeys).sort())
        .to.deep.equal(['WBT_Disk:h1:1 -> WBT_Disk:h1:2', 'WBT_Disk:h1:1 -> WBT_Volume:h2:1']);
      expect(lines(await ok(['rin', '-ar', 'Child', disk('h1', 2)])).map(assocKeys)).to.deep.equal(['WBT_Disk:h1:1 -> WBT_Disk:h1:2']);
      expect(lines(await ok(['rin', '-ar', 'Child', disk('h1', 1)]))).to.deep.equal([]);
    });

    it('ri -nl with a property list returns the association instances', async () => {
      const objs = parseObjects(await ok(['ri', '-nl', disk('h1', 1), 'Kind']));
      expect(objs.map((o) => `${assocKeys(o.path)} ${o.props.Kind}`).sort())
        .to.deep.equal(['WBT_Disk:h1:1 -> WBT_Disk:h1:2 mirror', 'WBT_Disk:h1:1 -> WBT_Volume:h2:1 volume']);
      const vol = parseObjects(await ok(['ri', '-nl', '-arc', 'WBT_Hosts', disk('h2', 1, 'WBT_Volume'), 'Kind']));
      expect(vol.map((o) => o.props)).to.deep.equal([{ Kind: 'volume' }]);
    });
  });

  describe('methods', () => {
    it('cm on an instance of a class without a method provider is CIM_ERR_METHOD_NOT_AVAILABLE', async () => {
      const r = await wbemcli(['cm', disk('h1', 1), 'Spin.Rpm=7200,Force=true,Note="hi"']);
      expect(r.cimError, r.error).to.equal(METHOD_NOT_AVAILABLE);
      expect(r.error).to.match(/Spin/);
    });

    it('cm of an undeclared method is CIM_ERR_METHOD_NOT_FOUND; of an instance method on the class, INVALID_PARAMETER', async () => {
      expect((await wbemcli(['cm', disk('h1', 1), 'Nope.Rpm=1'])).cimError).to.equal(METHOD_NOT_FOUND);
      expect((await wbemcli(['cm', `${cimv2}:WBT_Disk`, 'Spin.Rpm=1'])).cimError).to.equal(INVALID_PARAMETER);
    });

    it('cm CreateSwitch on the virtual switch management service creates a switch', async function () {
      const virt = url('root/virtualization');
      const svc = lines(await ok(['ein', `${virt}:Msvm_VirtualSwitchManagementService`]));
      expect(svc, 'the Msvm_VirtualSwitchManagementService instance').to.have.length(1);
      const svcPath = `https://admin:${srv.adminPassword}@${svc[0]}`;
      const out = await ok(['cm', svcPath, 'CreateSwitch.Name="e2e-switch-1",FriendlyName="e2e switch",NumLearnableAddresses=1024,ScopeOfResidence=""']);
      expect(out).to.match(/CreateSwitch: 0\b/);
      const sw = parseObjects(await ok(['ei', '-nl', `${virt}:Msvm_VirtualSwitch`, 'Name,ElementName']));
      expect(sw.map((o) => o.props)).to.deep.include({ Name: 'e2e-switch-1', ElementName: 'e2e switch' });
    });
  });

  describe('root/interop', () => {
    const interop = () => url('root/interop');

    it('CIM_Namespace lists exactly the three namespaces served', async () => {
      const objs = parseObjects(await ok(['ei', '-nl', `${interop()}:CIM_Namespace`, 'Name']));
      expect(objs.map((o) => o.props.Name).sort()).to.deep.equal(['root/cimv2', 'root/interop', 'root/virtualization']);
      expect(lines(await ok(['ein', `${interop()}:CIM_Namespace`]))).to.have.length(3);
    });

    it('CIM_ObjectManager is one started instance on this host', async () => {
      const names = lines(await ok(['ein', `${interop()}:CIM_ObjectManager`])).map(parsePath);
      expect(names).to.have.length(1);
      expect(names[0].keys).to.deep.include({ CreationClassName: 'CIM_ObjectManager', SystemCreationClassName: 'CIM_ComputerSystem' });
      expect(names[0].keys.SystemName).to.match(/^\S+$/);
      const om = parseObjects(await ok(['ei', '-nl', `${interop()}:CIM_ObjectManager`, 'Started,ElementName,Name']));
      expect(om.map((o) => o.props)).to.deep.equal([{ Name: names[0].keys.Name, ElementName: 'cimswitch', Started: 'TRUE' }]);
      const ns = parseObjects(await ok(['ei', '-nl', `${interop()}:CIM_Namespace`, 'ObjectManagerName,SystemName']));
      expect(ns.map((o) => o.props)).to.deep.equal(Array(3).fill({ ObjectManagerName: names[0].keys.Name, SystemName: names[0].keys.SystemName }));
    });
  });

  describe('deleting', () => {
    it('di removes associations and instances; they are gone from ein and gi', async () => {
      for (const l of lines(await ok(['ein', `${cimv2}:WBT_Hosts`]))) {
        // a reference key as ein prints it (host/ns without the colon) is not a path wbemcli reads back,
        // so rebuild it from the keys
        const m = [...l.matchAll(/(WBT_\w+)\.Host="(\w+)",Slot=(\d+)/g)];
        const [child, parent] = m.map((x) => `root/cimv2:${x[1]}.Host="${x[2]}",Slot=${x[3]}`);
        await ok(['di', `${cimv2}:WBT_Hosts.Parent=${parent},Child=${child}`]);
      }
      expect(lines(await ok(['ein', `${cimv2}:WBT_Hosts`]))).to.deep.equal([]);
      await ok(['di', disk('h1', 2)]);
      expect(lines(await ok(['ein', `${cimv2}:WBT_Disk`])).map((l) => parsePath(l)).map((p) => `${p.className}:${p.keys.Host}:${p.keys.Slot}`).sort())
        .to.deep.equal(['WBT_Disk:h1:1', 'WBT_Volume:h2:1']);
      expect((await wbemcli(['gi', disk('h1', 2)])).cimError).to.equal(NOT_FOUND);
      expect((await wbemcli(['di', disk('h1', 2)])).cimError).to.equal(NOT_FOUND);
    });
  });
});
