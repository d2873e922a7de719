/**
 * The `serve` command: option parsing (ports, 0 switches a listener off, repeatable
 * --extra-mof, log level), and the process itself: it starts, names every URL it serves,
 * prints a first-start admin password once, answers, and exits 0 on SIGTERM.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseServeArgs } from '../../../src/main.js';
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
    } finally {
      child2.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
