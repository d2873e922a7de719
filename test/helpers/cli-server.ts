/**
 * Starts the real `cimswitch serve` as a child process, the way an operator runs it: the
 * compiled CLI (bin/cimswitch.js) when dist/ is at least as new as src/, else the sources
 * through tsx. Loopback only, free ports picked here (the CLI reads port 0 as "off"), a fresh
 * state directory, CIMSWITCH_ADMIN_PASSWORD set. Users are managed with `cimswitch user`
 * against the same state directory. Used by the wbemcli end-to-end suite and the benchmark.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliServerOptions {
  /** Listeners to open (default both). */
  http?: boolean;
  https?: boolean;
  extraMof?: { namespace: string; file: string }[];
  adminPassword?: string;
  hostName?: string;
  /** Extra arguments for `serve`. */
  args?: string[];
  /** Milliseconds to wait for the startup line (default 60 s). */
  startTimeoutMs?: number;
  /** Extra node options for the server process (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

export interface CliServer {
  pid: number;
  httpPort: number;
  httpsPort: number;
  stateDir: string;
  adminPassword: string;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  /** Runs `cimswitch user ...` against this server's state directory; the password goes in the environment. */
  user(args: string[], password?: string): Promise<{ code: number; out: string }>;
  /** SIGTERM by PID, SIGKILL after 10 s; removes the state directory. */
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 right now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function newestMtime(dir: string): number {
  let max = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return max;
}

/** node arguments that run the CLI: the compiled one when it is up to date, else src/ through tsx. */
export function cliCommand(): string[] {
  const dist = path.join(REPO_ROOT, 'dist', 'cli.js');
  // tsc rewrites every output file, so dist/cli.js is as new as the last build
  const fresh = fs.existsSync(dist) && fs.statSync(dist).mtimeMs >= newestMtime(path.join(REPO_ROOT, 'src'));
  return fresh ? [path.join(REPO_ROOT, 'bin', 'cimswitch.js')] : ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli.ts')];
}

function waitForStart(child: ChildProcess, out: () => string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`server did not start within ${timeoutMs} ms:\n${out()}`)), timeoutMs);
    const check = () => {
      if (/cimswitch serving /.test(out())) done();
    };
    const onExit = (code: number | null) => done(new Error(`server exited (${code}) before serving:\n${out()}`));
    function done(err?: Error) {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve();
    }
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.on('exit', onExit);
  });
}

export async function startCliServer(o: CliServerOptions = {}): Promise<CliServer> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cimswitch-e2e-'));
  const adminPassword = o.adminPassword ?? 'e2e-admin-' + Math.random().toString(36).slice(2);
  const httpPort = o.http === false ? 0 : await freePort();
  const httpsPort = o.https === false ? 0 : await freePort();
  const cli = cliCommand();
  const args = [
    ...(o.nodeArgs ?? []), ...cli, 'serve', '--listen', '127.0.0.1',
    '--http-port', String(httpPort), '--https-port', String(httpsPort),
    '--state-dir', path.join(stateDir, 'var'), '--cert-dir', path.join(stateDir, 'certs'),
    '--log-level', 'info', '--host-name', o.hostName ?? 'e2ehost',
    ...(o.extraMof ?? []).flatMap((m) => ['--extra-mof', `${m.namespace}=${m.file}`]),
    ...(o.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT, env: { ...process.env, CIMSWITCH_ADMIN_PASSWORD: adminPassword }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      process.kill(child.pid, 'SIGTERM');
      const killer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    fs.rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    await waitForStart(child, () => log, o.startTimeoutMs ?? 60_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    pid: child.pid ?? 0, httpPort, httpsPort, stateDir, adminPassword, stop,
    output: () => log,
    user: (uargs, password) => new Promise((resolve) => {
      execFile(process.execPath, [...cli, 'user', ...uargs, '--state-dir', path.join(stateDir, 'var')], {
        cwd: REPO_ROOT, timeout: 30_000, env: { ...process.env, ...(password !== undefined ? { CIMSWITCH_PASSWORD: password } : {}) },
      }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
    }),
  };
}
