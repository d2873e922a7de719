/**
 * The real `cimswitch serve` as a child process for the Msvm acceptance suite: HTTPS only, on a
 * free loopback port, with a temp state directory, a known admin password and its own device
 * prefix (internal port TAPs, VM NICs' veth host ends). Started from dist/ (bin/cimswitch.js) when the build is current, else from src/ with
 * tsx. Stopped by its PID only: SIGTERM for a clean stop, SIGKILL for the crash scenario.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../../helpers/server.js';

export const PASSWORD = 'msvm-e2e-pw';

/** A port nobody listens on right now (bound once on 127.0.0.1, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The compiled CLI when it is at least as new as the sources it comes from. */
function command(): string[] {
  const dist = path.join(REPO_ROOT, 'dist', 'cli.js');
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (e.isFile() && e.name.endsWith('.ts')) t = Math.max(t, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
    }
    return t;
  };
  if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs >= newest(path.join(REPO_ROOT, 'src')) - 1) {
    return [path.join(REPO_ROOT, 'bin', 'cimswitch.js')];
  }
  return ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli.ts')];
}

export class ServerProcess {
  private child?: ChildProcess;
  private out = '';

  constructor(readonly stateDir: string, readonly port: number, readonly ifPrefix: string) {}

  /** `https://admin:PASSWORD@127.0.0.1:PORT` for the wbemcli helper. */
  get base(): string {
    return `https://admin:${PASSWORD}@127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Everything the server wrote (for failure messages). */
  output(): string {
    return this.out;
  }

  /** Starts the server and resolves once it says it is serving. */
  async start(): Promise<void> {
    const args = [
      ...command(), 'serve', '--http-port', '0', '--https-port', String(this.port), '--listen', '127.0.0.1',
      '--state-dir', path.join(this.stateDir, 'var'), '--cert-dir', path.join(this.stateDir, 'certs'),
      '--if-prefix', this.ifPrefix, '--log-level', 'info',
    ];
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT, env: { ...process.env, CIMSWITCH_ADMIN_PASSWORD: PASSWORD }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${this.out}`)), 60_000);
      const onData = (d: Buffer): void => {
        this.out += d.toString();
        if (/ serving /.test(this.out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code ?? sig}) before serving:\n${this.out}`));
      });
    });
  }

  /** Sends `sig` to our child (by PID) and waits until it has exited. */
  async stop(sig: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid!, sig);
    const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
