/**
 * `cimswitch serve`: the composition root. Compiles the project's MOF (one entry file per
 * namespace, plus --extra-mof files) into one repository, opens the state database, makes
 * sure an admin user exists, builds the cimom and registers providers, loads or creates the
 * TLS material, and starts the CIM-XML listeners. SIGTERM / SIGINT shut down cleanly:
 * listeners close, requests in progress finish, the database is closed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClassRepository } from './cim/repository.js';
import { createCimom, type CimomServer } from './cimom/index.js';
import { CimXmlServer, type Logger, BasicAuthenticator, decodeEmbeddedObject, loadOrCreateTls } from './cimxml/index.js';
import { compileFiles, formatDiagnostic, Repository } from './mof/index.js';
import { registerProviders } from './provider/index.js';
import { openVirtualNetwork } from './provider/msvm/index.js';
import type { VirtualNetwork } from './provider/msvm/domain/index.js';
import { type DB, openDatabase } from './store/db.js';
import { UserStore } from './store/users.js';

export const NAMESPACES = ['root/cimv2', 'root/interop', 'root/virtualization'] as const;

export interface ServeConfig {
  /** null switches a listener off; 0 picks an ephemeral port (tests). */
  httpPort: number | null;
  httpsPort: number | null;
  listen: string;
  stateDir: string;
  certDir: string;
  certFile?: string;
  keyFile?: string;
  extraMof: { namespace: string; file: string }[];
  hostName: string;
  mofDir: string;
  adminPassword?: string;
  log: Logger;
  /** Where the first-start admin password is printed (default stdout). */
  announce?: (line: string) => void;
  /** Virtual networking dataplane: 'try' uses the native switch when it is built; default 'none'
   *  (rules and persistence only, for in-process test servers); `cimswitch serve` passes 'try'. */
  dataplane?: 'auto' | 'none' | 'try';
  /** Prefix of the TAP devices the switch creates (default 'cs'). */
  ifPrefix?: string;
  /** Parsed request documents kept for byte-identical repeats (default 256; 0: none). */
  parseCache?: number;
}

export interface RunningServer {
  server: CimXmlServer;
  cimom: CimomServer;
  urls: string[];
  close(): Promise<void>;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

export function makeLogger(level: string, out: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const min = LEVELS.indexOf((LEVELS as readonly string[]).includes(level) ? (level as Level) : 'info');
  const at = (l: Level) => (msg: string) => {
    if (LEVELS.indexOf(l) >= min) out(`${new Date().toISOString()} ${l} ${msg}`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), debugEnabled: min === 0 };
}

/** The project's mof/ directory (next to src/ and dist/). */
export function defaultMofDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'mof');
}

/** Compiles mof/root-<ns>.mof for every namespace, then the extra files, into one repository. */
export function buildRepository(mofDir: string, extra: ServeConfig['extraMof'], log?: Logger): ClassRepository {
  const repo = new Repository();
  const units = [
    ...NAMESPACES.map((ns) => ({ namespace: ns, file: path.join(mofDir, ns.replace('/', '-') + '.mof') })),
    ...extra,
  ];
  for (const u of units) {
    const r = compileFiles([u.file], { namespace: u.namespace, into: repo });
    for (const d of r.diagnostics) log?.warn(formatDiagnostic(d));
    if (r.errors > 0) throw new Error(`${u.file}: ${r.errors} MOF error(s)`);
  }
  return repo;
}

async function ensureAdmin(users: UserStore, password: string | undefined, announce: (l: string) => void): Promise<void> {
  if (password) {
    // CIMSWITCH_ADMIN_PASSWORD: admin exists with exactly this password
    if (!users.get('admin')) await users.add('admin', password, 'admin');
    else if (!(await users.verify('admin', password))) await users.setPassword('admin', password);
    return;
  }
  const generated = await users.ensureAdmin();
  if (generated) announce(`cimswitch: created user admin with password ${generated} (shown once; change it with 'cimswitch user passwd admin')`);
}

/** Builds everything and starts listening. */
export async function startServer(cfg: ServeConfig): Promise<RunningServer> {
  const log = cfg.log;
  const repository = buildRepository(cfg.mofDir, cfg.extraMof, log);
  fs.mkdirSync(cfg.stateDir, { recursive: true, mode: 0o700 });
  const db: DB = openDatabase(cfg.stateDir);
  let cimom: CimomServer | undefined;
  let network: VirtualNetwork | undefined;
  try {
    const users = new UserStore(db);
    await ensureAdmin(users, cfg.adminPassword, cfg.announce ?? ((l) => process.stdout.write(l + '\n')));
    cimom = createCimom({ repository, decodeEmbedded: decodeEmbeddedObject });
    // the Virtual Networking Profile over the domain; it rebuilds the dataplane from the store
    network = await openVirtualNetwork({
      stateDir: cfg.stateDir, db, dataplane: cfg.dataplane ?? 'none', ifPrefix: cfg.ifPrefix, pathHost: cfg.hostName,
      hostName: cfg.hostName,
    });
    for (const p of network.restoreProblems()) log.warn(`restore: ${p}`);
    // one host name everywhere: HOST in paths, interop SystemName, the Msvm host system
    registerProviders({
      registry: cimom.registry, repository, db, systemName: cfg.hostName, msvm: { network, log: (l) => log.info(`msvm: ${l}`) },
    });
    const tls = cfg.httpsPort !== null
      ? loadOrCreateTls({ certDir: cfg.certDir, certFile: cfg.certFile, keyFile: cfg.keyFile, hostName: cfg.hostName })
      : undefined;
    if (tls?.generated) log.info(`created a local CA and server certificate in ${cfg.certDir}`);
    const server = new CimXmlServer({
      cimom, auth: new BasicAuthenticator(users), hostName: cfg.hostName, log, listen: cfg.listen, parseCacheEntries: cfg.parseCache,
      httpPort: cfg.httpPort, httpsPort: cfg.httpsPort, tls,
    });
    await server.start();
    const urls = server.urls();
    log.info(`cimswitch serving ${NAMESPACES.join(', ')} at ${urls.join(' ')}`);
    const c = cimom;
    const net = network;
    return {
      server, cimom: c, urls,
      async close() {
        await server.close();
        await net.close();
        c.close();
        db.close();
      },
    };
  } catch (e) {
    await network?.close().catch(() => undefined);
    cimom?.close();
    db.close();
    throw e;
  }
}

function usage(): string {
  return 'usage: cimswitch serve [--http-port N] [--https-port N] [--listen ADDR] [--state-dir DIR] [--cert-dir DIR]\n' +
    '                       [--cert FILE --key FILE] [--extra-mof NAMESPACE=FILE]... [--log-level debug|info|warn|error]\n' +
    '                       [--host-name NAME] [--if-prefix PREFIX] [--parse-cache N]\n  a port of 0 switches that listener off;\n' +
    '  --parse-cache: request documents kept parsed for byte-identical repeats (default 256, 0 = none)\n';
}

/** Parses `serve` options; throws Error with a message for bad ones. */
export function parseServeArgs(args: string[], env: NodeJS.ProcessEnv = process.env): ServeConfig & { logLevel: string } {
  const cfg = {
    httpPort: 5988 as number | null, httpsPort: 5989 as number | null, listen: '127.0.0.1', stateDir: './var', certDir: './certs',
    certFile: undefined as string | undefined, keyFile: undefined as string | undefined, extraMof: [] as ServeConfig['extraMof'],
    hostName: os.hostname(), mofDir: defaultMofDir(), adminPassword: env.CIMSWITCH_ADMIN_PASSWORD || undefined,
    ifPrefix: undefined as string | undefined, dataplane: 'try' as const, parseCache: undefined as number | undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
  const port = (v: string, name: string): number | null => {
    if (!/^[0-9]{1,5}$/.test(v) || Number(v) > 65535) throw new Error(`bad ${name} ${JSON.stringify(v)}`);
    return Number(v) === 0 ? null : Number(v); // 0 switches the listener off
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') && args[i].includes('=') ? [args[i].slice(0, args[i].indexOf('=')), args[i].slice(args[i].indexOf('=') + 1)] : [args[i], undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--http-port': cfg.httpPort = port(value(), flag); break;
      case '--https-port': cfg.httpsPort = port(value(), flag); break;
      case '--listen': cfg.listen = value(); break;
      case '--state-dir': cfg.stateDir = value(); break;
      case '--cert-dir': cfg.certDir = value(); break;
      case '--cert': cfg.certFile = value(); break;
      case '--key': cfg.keyFile = value(); break;
      case '--host-name': cfg.hostName = value(); break;
      case '--mof-dir': cfg.mofDir = value(); break;
      case '--log-level': cfg.logLevel = value(); break;
      case '--if-prefix': cfg.ifPrefix = value(); break;
      case '--parse-cache': {
        const v = value();
        if (!/^[0-9]{1,6}$/.test(v)) throw new Error(`bad --parse-cache ${JSON.stringify(v)} (a count, 0 = none)`);
        cfg.parseCache = Number(v);
        break;
      }
      case '--extra-mof': {
        const v = value();
        const eq = v.indexOf('=');
        if (eq <= 0 || eq === v.length - 1) throw new Error(`--extra-mof wants NAMESPACE=FILE, got ${JSON.stringify(v)}`);
        cfg.extraMof.push({ namespace: v.slice(0, eq), file: v.slice(eq + 1) });
        break;
      }
      default:
        throw new Error(`unknown option ${args[i]}`);
    }
  }
  if (cfg.httpPort === null && cfg.httpsPort === null) throw new Error('both listeners are switched off');
  if (!LEVELS.includes(cfg.logLevel as Level)) throw new Error(`bad log level ${cfg.logLevel}`);
  return { ...cfg, log: makeLogger(cfg.logLevel) };
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(usage());
    return 0;
  }
  let cfg: ReturnType<typeof parseServeArgs>;
  try {
    cfg = parseServeArgs(args);
  } catch (e) {
    process.stderr.write(`cimswitch serve: ${(e as Error).message}\n${usage()}`);
    return 2;
  }
  const running = await startServer(cfg);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (sig: string) => {
      if (stopping) return;
      stopping = true;
      cfg.log.info(`${sig}: shutting down`);
      running.close().then(
        () => resolve(0),
        (e: unknown) => {
          cfg.log.error(`shutdown: ${(e as Error).message}`);
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
