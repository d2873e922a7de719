/**
 * End to end: authentication and roles of the real `cimswitch serve` process as sblim wbemcli
 * sees them over HTTPS. A `reader` is added with `cimswitch user add` while the server runs; it
 * reads what admin reads, and every write or method call it tries is CIM_ERR_ACCESS_DENIED and
 * changes nothing. Missing or wrong credentials get HTTP 401 with a Basic challenge, which
 * wbemcli reports as "Username/password required." / "Invalid username/password.".
 */
import { expect } from 'chai';
import path from 'node:path';
import { type CliServer, REPO_ROOT, startCliServer } from '../../helpers/cli-server.js';
import { lines, ok, parseObject, parseObjects, wbemcli } from './wbemcli.js';
import { requireTool } from '../../helpers/require.js';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'wbemcli', 'wbt.mof');
const ACCESS_DENIED = 2;
const READER = { name: 'reader', password: 'e2e-reader-pw' };

describe('e2e: wbemcli authentication and roles (HTTPS)', function () {
  this.timeout(60_000);
  let srv: CliServer;
  let base: (user: string, password: string, ns?: string) => string;
  let admin: string;
  let reader: string;
  const disk = (b: string, host: string, slot: number) => `${b}:WBT_Disk.Host="${host}",Slot=${slot}`;

  before(async function () {
    requireTool('wbemcli', ['-h'], 'sblim-wbemcli');
    srv = await startCliServer({ http: false, extraMof: [{ namespace: 'root/cimv2', file: FIXTURE }] });
    base = (user, password, ns = 'root/cimv2') => `https://${user}:${password}@127.0.0.1:${srv.httpsPort}/${ns}`;
    admin = base('admin', srv.adminPassword);
    reader = base(READER.name, READER.password);
    await ok(['ci', disk(admin, 'a', 1), 'Host="a",Slot=1,Label="original",Tags="t1","t2"']);
    await ok(['ci', disk(admin, 'a', 2), 'Host="a",Slot=2,Label="other"']);
    await ok(['ci', `${admin}:WBT_Hosts.Parent=root/cimv2:WBT_Disk.Host="a",Slot=1,Child=root/cimv2:WBT_Disk.Host="a",Slot=2`,
      'Kind="k",Parent=WBT_Disk.Host="a",Slot=1,Child=WBT_Disk.Host="a",Slot=2']);
  });
  after(async () => {
    await srv?.stop();
  });

  it('the reader does not exist before `cimswitch user add`', async () => {
    const r = await wbemcli(['ecn', reader]);
    expect(r.error).to.equal('Http Exception: Invalid username/password.');
  });

  it('`cimswitch user add --role reader` on the running server\'s state adds the reader', async () => {
    const add = await srv.user(['add', READER.name, '--role', 'reader'], READER.password);
    expect(add, add.out).to.deep.equal({ code: 0, out: `added user ${READER.name} (reader)\n` });
    const list = await srv.user(['list']);
    expect(lines(list.out).sort()).to.deep.equal(['admin\tadmin', `${READER.name}\treader`]);
  });

  const reads: { op: string; args: (b: string) => string[] }[] = [
    { op: 'ecn', args: (b) => ['ecn', `${b}:WBT_Disk`] },
    { op: 'gc', args: (b) => ['gc', '-nl', '-t', `${b}:WBT_Hosts`] },
    { op: 'ein', args: (b) => ['ein', `${b}:WBT_Disk`] },
    { op: 'ei', args: (b) => ['ei', '-nl', '-t', `${b}:WBT_Disk`, 'Label,Tags'] },
    { op: 'gi', args: (b) => ['gi', '-nl', '-t', disk(b, 'a', 1)] },
    { op: 'gp', args: (b) => ['gp', disk(b, 'a', 1), 'Label'] },
    { op: 'ain', args: (b) => ['ain', disk(b, 'a', 1)] },
    { op: 'ai', args: (b) => ['ai', '-nl', disk(b, 'a', 1), 'Label'] },
    { op: 'rin', args: (b) => ['rin', disk(b, 'a', 2)] },
    { op: 'ri', args: (b) => ['ri', '-nl', disk(b, 'a', 2), 'Kind'] },
  ];
  for (const c of reads) {
    it(`the reader reads like admin: ${c.op}`, async () => {
      const asReader = await ok(c.args(reader));
      expect(asReader.trim()).to.not.equal('');
      expect(asReader).to.equal(await ok(c.args(admin)));
    });
  }

  const writes: { op: string; args: (b: string) => string[] }[] = [
    { op: 'ci', args: (b) => ['ci', disk(b, 'r', 1), 'Host="r",Slot=1,Label="by reader"'] },
    { op: 'mi', args: (b) => ['mi', disk(b, 'a', 1), 'Label="changed by reader"'] },
    { op: 'sp', args: (b) => ['sp', disk(b, 'a', 1), 'Label="set by reader"'] },
    { op: 'di', args: (b) => ['di', disk(b, 'a', 2)] },
    { op: 'cm', args: (b) => ['cm', disk(b, 'a', 1), 'Spin.Rpm=1,Force=true,Note="x"'] },
  ];
  for (const c of writes) {
    it(`the reader is refused: ${c.op} -> CIM_ERR_ACCESS_DENIED`, async () => {
      const r = await wbemcli(c.args(reader));
      expect(r.cimError, r.error).to.equal(ACCESS_DENIED);
      expect(r.code).to.not.equal(0);
    });
  }

  it('nothing the reader tried changed the repository', async () => {
    const objs = parseObjects(await ok(['ei', '-nl', `${admin}:WBT_Disk`, 'Label']));
    expect(objs.map((o) => o.props.Label).sort()).to.deep.equal(['original', 'other']);
    expect(lines(await ok(['ein', `${admin}:WBT_Hosts`]))).to.have.length(1);
  });

  it('admin may do what the reader may not', async () => {
    await ok(['mi', disk(admin, 'a', 1), 'Label="changed by admin"']);
    expect(parseObject(await ok(['gi', '-nl', disk(admin, 'a', 1), 'Label'])).props.Label).to.equal('changed by admin');
  });

  it('no credentials: 401 with a Basic challenge', async () => {
    const r = await wbemcli(['-dx', 'ecn', `https://127.0.0.1:${srv.httpsPort}/root/cimv2`]);
    expect(r.error).to.equal('Http Exception: Username/password required.');
    expect(r.stdout + r.stderr).to.match(/From server: WWW-Authenticate: Basic realm="[^"]+"/);
    expect(r.stdout + r.stderr).to.not.match(/From server: <\?xml/); // no CIM-XML body with a 401
  });

  const wrong: { name: string; user: string; password: () => string }[] = [
    { name: 'wrong password', user: 'admin', password: () => 'not-the-password' },
    { name: 'unknown user', user: 'nobody', password: () => 'whatever' },
    { name: 'another user\'s password', user: READER.name, password: () => srv.adminPassword },
  ];
  for (const c of wrong) {
    it(`${c.name}: 401`, async () => {
      const r = await wbemcli(['-dx', 'gi', disk(base(c.user, c.password()), 'a', 1)]);
      expect(r.error).to.equal('Http Exception: Invalid username/password.');
      expect(r.stdout + r.stderr).to.not.include('changed by admin');
    });
  }

  it('the right password still works after failures', async () => {
    expect(parseObject(await ok(['gi', '-nl', disk(reader, 'a', 1), 'Label'])).props.Label).to.equal('changed by admin');
  });

  it('`cimswitch user del` takes effect on the running server', async () => {
    const del = await srv.user(['del', READER.name]);
    expect(del.code, del.out).to.equal(0);
    expect((await wbemcli(['ecn', reader])).error).to.equal('Http Exception: Invalid username/password.');
  });
});
