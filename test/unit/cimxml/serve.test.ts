/**
 * The `serve` command: option parsing (ports, 0 switches a listener off, repeatable
 * --extra-mof, log level), and the process itself: it starts, names every URL it serves,
 * prints a first-start admin password once (and never on later starts), answers, and exits 0
 * on SIGTERM; `--host-name` reaches every provider; `npm start` from a fresh checkout (no
 * var/, no certificates) runs with the embedded defaults.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseServeArgs, startServer } from '../../../src/main.js';
import { REPO_ROOT, buildRequest, imethodBody, imethodHeaders, rawExchange } from '../../helpers/server.js';

describe('serve options', () => {
  const rows: [string, string[], Record<string, unknown> | string][] = [
    ['defaults', [], { httpPort: 5988, httpsPort: 5989, listen: '127.0.0.1', stateDir: './var', certDir: './certs', extraMof: [] }],
    ['ports, 0 switches HTTP off', ['--http-port', '0', '--https-port=15989'], { httpPort: null, httpsPort: 15989 }],
    ['listen, state and certificates', ['--listen', '::1', '--state-dir', '/s', '--cert', 'c.pem', '--key', 'k.pem'], { listen: '::1', stateDir: '/s', certFile: 'c.pem', keyFile: 'k.pem' }],
    ['repeatable --extra-mof', ['--extra-mof', 'root/cimv2=a.mof', '--extra-mof=root/interop=b.mof'], { extraMof: [{ namespace: 'root/cimv2', file: 'a.mof' }, { namespace: 'root/interop', file: 'b.mof' }] }],
    ['both listeners off', ['--http-port', '0', '--https-port', '0'], 'both listeners are switched off'],
    ['bad port', ['--http-port', '70000'], 'bad --http-port "70000"'],
    ['bad --extra-mof', ['--extra-mof', 'nofile'], '--extra-mof wants NAMESPACE=FILE, got "nofile"'],
    ['missing value', ['--state-dir'], '--state-dir needs a value'],
    ['unknown option', ['--frobnicate'], 'unknown option --frobnicate'],
    ['bad log level', ['--log-level', 'loud'], 'bad log level loud'],
    ['parse cache size, 0 switches it off', ['--parse-cache', '0'], { parseCache: 0 }],
    ['bad parse cache size', ['--parse-cache', 'many'], 'bad --parse-cache "many" (a count, 0 = none)'],
  ];
  for (const [desc, args, exp] of rows) {
    it(desc, () => {
      if (typeof exp === 'string') {
        expect(() => parseServeArgs(args, {})).to.throw(exp);
        return;
      }
      const cfg = parseServeArgs(args, {}) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(exp)) expect(cfg[k], k).to.deep.equal(v);
    });
  }

  it('reads CIMSWITCH_ADMIN_PASSWORD and LOG_LEVEL', () => {
    const cfg = parseServeArgs([], { CIMSWITCH_ADMIN_PASSWORD: 'pw', LOG_LEVEL: 'debug' });
    expect(cfg.adminPassword).to.equal('pw');
    expect(cfg.logLevel).to.equal('debug');
  });
});

describe('serve process', function () {
  this.timeout(90_000);

  it('starts, prints the admin password once, serves, and stops cleanly on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cimswitch-serve-'));
    const env = { ...process.env, CIMSWITCH_ADMIN_PASSWORD: '', LOG_LEVEL: 'debug' };
    delete (env as Record<string, string | undefined>).CIMSWITCH_ADMIN_PASSWORD;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli.ts'), 'serve', '--http-port', '0', '--https-port', '0', '--state-dir', path.join(dir, 'var')], { cwd: REPO_ROOT, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      // ports 0 mean "off" on the command line, so this start must refuse
      expect(await exited).to.equal(2);
      expect(err).to.include('both listeners are switched off');
    } finally {
      child.kill();
    }

    const port = 20000 + Math.floor(Math.random() * 20000);
    const child2 = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli.ts'), 'serve', '--http-port', String(port), '--https-port', '0', '--state-dir', path.join(dir, 'var'), '--log-level', 'debug'], { cwd: REPO_ROOT, env });
    let out2 = '';
    let err2 = '';
    child2.stdout.on('data', (d) => (out2 += d));
    const waiters: [RegExp, () => void][] = [];
    const waitFor = (re: RegExp) => new Promise<void>((resolve) => (re.test(err2) ? resolve() : waiters.push([re, resolve])));
    child2.stderr.on('data', (d) => {
      err2 += d;
      for (const [re, resolve] of waiters) if (re.test(err2)) resolve();
    });
    const started = waitFor(/serving/);
    const exited2 = new Promise<number | null>((r) => child2.on('exit', (code) => r(code)));
    try {
      await Promise.race([started, exited2]);
      expect(err2).to.include(`http://127.0.0.1:${port}/cimom`);
      const m = /password (\S+) \(shown once/.exec(out2);
      expect(m, out2).to.not.equal(null);
      expect(err2).to.not.include(m![1]); // the password is never logged
      const r = await rawExchange(port, buildRequest({
        body: imethodBody('EnumerateClassNames', 'root/interop'), headers: imethodHeaders('EnumerateClassNames', 'root/interop'),
        auth: { user: 'admin', password: m![1] },
      }));
      expect(r.status).to.equal(200);
      expect(r.body.toString()).to.include('CIM_ManagedElement');
      await waitFor(/debug .*EnumerateClassNames user=admin http=200/); // one line per request
      child2.kill('SIGTERM');
      expect(await exited2).to.equal(0);
      expect(err2).to.include('SIGTERM: shutting down');

      // a later start on the same state prints no password at all, and the first one still works
      const child3 = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli.ts'), 'serve', '--http-port', String(port), '--https-port', '0', '--state-dir', path.join(dir, 'var')], { cwd: REPO_ROOT, env });
      const p3 = watch(child3);
      try {
        await p3.waitFor(/serving/);
        const r3 = await rawExchange(port, buildRequest({
          body: imethodBody('EnumerateClassNames', 'root/interop'), headers: imethodHeaders('EnumerateClassNames', 'root/interop'),
          auth: { user: 'admin', password: m![1] },
        }));
        expect(r3.status).to.equal(200);
        child3.kill('SIGTERM');
        expect(await p3.exited).to.equal(0);
        expect(p3.out()).to.not.match(/password/i);
        expect(p3.err()).to.not.match(/password/i);
      } finally {
        child3.kill('SIGKILL');
      }
    } finally {
      child2.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('npm start from a fresh checkout: ./var and ./certs created, loopback only, HTTPS answers', async function () {
    if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli.js'))) throw new Error('dist/ is not built: run npm run build');
    // a fresh checkout: the tracked files that `npm start` uses, no var/ and no certificates
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cimswitch-fresh-'));
    for (const f of ['package.json', 'bin', 'dist', 'mof', 'node_modules']) fs.symlinkSync(path.join(REPO_ROOT, f), path.join(dir, f));
    fs.mkdirSync(path.join(dir, 'certs'));
    fs.copyFileSync(path.join(REPO_ROOT, 'certs', 'README.md'), path.join(dir, 'certs', 'README.md'));
    const env = { ...process.env, LOG_LEVEL: 'info' };
    delete (env as Record<string, string | undefined>).CIMSWITCH_ADMIN_PASSWORD;
    // explicit ports only (5988/5989 may be taken on a shared machine); everything else is the default
    const http = 20000 + Math.floor(Math.random() * 20000);
    const https = http + 1;
    const child = spawn('npm', ['start', '--silent', '--', '--http-port', String(http), '--https-port', String(https)], { cwd: dir, env, detached: true });
    const p = watch(child);
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig); // npm and the server it started (their own process group)
      } catch {
        /* already gone */
      }
    };
    try {
      await Promise.race([p.waitFor(/serving/), p.exited]);
      expect(p.err()).to.include(`https://127.0.0.1:${https}/cimom`);
      expect(p.err()).to.include(`http://127.0.0.1:${http}/cimom`);
      expect(p.err()).to.not.match(/0\.0\.0\.0|\[::\]/); // loopback by default
      for (const f of ['ca.pem', 'server.pem', 'server-key.pem']) expect(fs.existsSync(path.join(dir, 'certs', f)), f).to.equal(true);
      expect(fs.readdirSync(path.join(dir, 'var')).length).to.be.greaterThan(0);
      const m = /password (\S+) \(shown once/.exec(p.out());
      expect(m, p.out()).to.not.equal(null);
      const r = await rawExchange(https, buildRequest({
        body: imethodBody('EnumerateClassNames', 'root/virtualization', '<IPARAMVALUE NAME="DeepInheritance"><VALUE>TRUE</VALUE></IPARAMVALUE>'), headers: imethodHeaders('EnumerateClassNames', 'root/virtualization'),
        auth: { user: 'admin', password: m![1] },
      }), { secure: true });
      expect(r.status).to.equal(200);
      expect(r.body.toString()).to.include('Msvm_');
      kill('SIGTERM');
      await p.exited;
    } finally {
      kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Collects a child's output; waitFor resolves once stderr matches. */
function watch(child: ReturnType<typeof spawn>) {
  let out = '';
  let err = '';
  const waiters: [RegExp, () => void][] = [];
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => {
    err += d;
    for (const [re, resolve] of waiters) if (re.test(err)) resolve();
  });
  return {
    out: () => out,
    err: () => err,
    exited: new Promise<number | null>((r) => child.on('exit', (code) => r(code))),
    waitFor: (re: RegExp) => new Promise<void>((resolve) => (re.test(err) ? resolve() : waiters.push([re, resolve]))),
  };
}

describe('serve --host-name', function () {
  this.timeout(60_000);

  it('one host name in returned paths, interop SystemName and the Msvm host system', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cimswitch-host-'));
    const cfg = parseServeArgs(['--host-name', 'TESTHOST', '--state-dir', path.join(dir, 'var'), '--cert-dir', path.join(dir, 'certs'), '--log-level', 'error'], { CIMSWITCH_ADMIN_PASSWORD: 'pw' });
    const running = await startServer({ ...cfg, httpPort: 0, httpsPort: null, dataplane: 'none', announce: () => {} });
    try {
      const port = running.server.port('http')!;
      const call = async (ns: string, cls: string) => {
        const r = await rawExchange(port, buildRequest({
          // ExecQuery answers full paths (HOST included)
          body: imethodBody('ExecQuery', ns, `<IPARAMVALUE NAME="QueryLanguage"><VALUE>WQL</VALUE></IPARAMVALUE><IPARAMVALUE NAME="Query"><VALUE>SELECT * FROM ${cls}</VALUE></IPARAMVALUE>`),
          headers: imethodHeaders('ExecQuery', ns), auth: { user: 'admin', password: 'pw' },
        }));
        expect(r.status).to.equal(200);
        return r.body.toString();
      };
      const rows: [string, string, RegExp[]][] = [
        ['root/interop', 'CIM_ObjectManager', [/<KEYBINDING NAME="SystemName"><KEYVALUE[^>]*>TESTHOST</, /<PROPERTY NAME="SystemName" TYPE="string"><VALUE>TESTHOST</]],
        ['root/interop', 'CIM_Namespace', [/<KEYBINDING NAME="SystemName"><KEYVALUE[^>]*>TESTHOST</]],
        ['root/virtualization', 'Msvm_VirtualSwitchManagementService', [/<KEYBINDING NAME="SystemName"><KEYVALUE[^>]*>TESTHOST</]],
      ];
      for (const [ns, cls, res] of rows) {
        const body = await call(ns, cls);
        expect(body, cls).to.include('<HOST>TESTHOST</HOST>');
        expect(body, cls).to.not.include(`>${os.hostname()}<`);
        for (const re of res) expect(body, `${cls} ${re}`).to.match(re);
      }
    } finally {
      await running.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
