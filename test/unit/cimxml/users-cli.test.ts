/** `cimswitch user add|passwd|role|del|list` against a temporary state directory. */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../src/store/users-cli.js';
import { openDatabase } from '../../../src/store/db.js';
import { UserStore } from '../../../src/store/users.js';

async function capture(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  const saved = { ...process.env };
  Object.assign(process.env, env);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await run(args);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
}

describe('cimswitch user', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cimswitch-users-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const rows: [string, string[], Record<string, string>, number, RegExp][] = [
    ['add a reader with --password', ['add', 'bob', '--role', 'reader', '--password', 'pw-bob'], {}, 0, /added user bob \(reader\)/],
    ['add an admin with the password from the environment', ['add', 'carol', '--role=admin'], { CIMSWITCH_PASSWORD: 'pw-carol' }, 0, /added user carol \(admin\)/],
    ['add a duplicate', ['add', 'bob', '--password', 'x'], {}, 1, /already exists/],
    ['list', ['list'], {}, 0, /^bob\treader\ncarol\tadmin\n$/],
    ['passwd', ['passwd', 'bob', '--password', 'pw-new'], {}, 0, /changed the password of bob/],
    ['passwd of nobody', ['passwd', 'nobody', '--password', 'x'], {}, 1, /no user nobody/],
    ['role', ['role', 'bob', 'admin'], {}, 0, /bob is now admin/],
    ['bad role', ['add', 'dave', '--role', 'root', '--password', 'x'], {}, 2, /bad role/],
    ['del', ['del', 'carol'], {}, 0, /deleted user carol/],
    ['del again', ['del', 'carol'], {}, 1, /no user carol/],
    ['unknown subcommand', ['frob'], {}, 2, /usage: cimswitch user/],
  ];
  for (const [desc, args, env, code, re] of rows) {
    it(desc, async () => {
      const r = await capture([...args, '--state-dir', dir], env);
      expect(r.code, r.out + r.err).to.equal(code);
      expect(r.out + r.err).to.match(re);
      expect(r.out + r.err).to.not.match(/pw-/); // passwords are never printed
    });
  }

  it('the stored password works and the old one does not', async () => {
    const db = openDatabase(dir);
    try {
      const users = new UserStore(db);
      expect(await users.verify('bob', 'pw-new')).to.include({ name: 'bob', role: 'admin' });
      expect(await users.verify('bob', 'pw-bob')).to.equal(undefined);
    } finally {
      db.close();
    }
  });
});
