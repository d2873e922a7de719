/**
 * `cimswitch user add|passwd|del|list`: manages the server's users in the state database.
 * Passwords come from --password, the CIMSWITCH_PASSWORD environment variable, or standard
 * input (a prompt without echo on a terminal, else the first line); they are never printed.
 */
import { openDatabase } from './db.js';
import { checkRole, type Role, UserStore } from './users.js';

const USAGE = `usage: cimswitch user add NAME [--role admin|reader] [--password PW] [--state-dir DIR]
       cimswitch user passwd NAME [--password PW] [--state-dir DIR]
       cimswitch user role NAME admin|reader [--state-dir DIR]
       cimswitch user del NAME [--state-dir DIR]
       cimswitch user list [--state-dir DIR]
  the password may also come from CIMSWITCH_PASSWORD or standard input
`;

interface Parsed {
  cmd: string;
  positional: string[];
  stateDir: string;
  role: Role;
  password?: string;
}

function parse(args: string[]): Parsed {
  const p: Parsed = { cmd: args[0] ?? '', positional: [], stateDir: './var', role: 'reader' };
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--state-dir') p.stateDir = value();
    else if (flag === '--role') p.role = checkRole(value());
    else if (flag === '--password') p.password = value();
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else p.positional.push(a);
  }
  return p;
}

/** Reads a password: a no-echo prompt on a terminal, else the first line of stdin. */
export async function readPassword(prompt: string, input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (input.isTTY) {
    process.stderr.write(prompt);
    input.setRawMode(true);
    input.resume();
    return new Promise((resolve, reject) => {
      let pw = '';
      const onData = (d: Buffer) => {
        for (const ch of d.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            input.setRawMode(false);
            input.pause();
            input.off('data', onData);
            process.stderr.write('\n');
            return resolve(pw);
          }
          if (ch === '\u0003') {
            input.setRawMode(false);
            return reject(new Error('interrupted'));
          }
          if (ch === '\u007f') pw = pw.slice(0, -1);
          else pw += ch;
        }
      };
      input.on('data', onData);
    });
  }
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}

async function password(p: Parsed): Promise<string> {
  const pw = p.password ?? process.env.CIMSWITCH_PASSWORD ?? (await readPassword('password: '));
  if (!pw) throw new Error('empty password');
  return pw;
}

function one(p: Parsed, what: string): string {
  if (p.positional.length < 1) throw new Error(`${p.cmd} needs ${what}`);
  return p.positional[0];
}

export async function run(args: string[]): Promise<number> {
  let p: Parsed;
  try {
    p = parse(args);
  } catch (e) {
    process.stderr.write(`cimswitch user: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!['add', 'passwd', 'del', 'list', 'role'].includes(p.cmd)) {
    process.stderr.write(USAGE);
    return p.cmd === '' || p.cmd === '--help' || p.cmd === '-h' ? 0 : 2;
  }
  const db = openDatabase(p.stateDir);
  try {
    const users = new UserStore(db);
    switch (p.cmd) {
      case 'list':
        for (const u of users.list()) process.stdout.write(`${u.name}\t${u.role}\n`);
        break;
      case 'add': {
        const name = one(p, 'a user name');
        await users.add(name, await password(p), p.role);
        process.stdout.write(`added user ${name} (${p.role})\n`);
        break;
      }
      case 'passwd': {
        const name = one(p, 'a user name');
        if (!users.get(name)) throw new Error(`no user ${name}`);
        await users.setPassword(name, await password(p));
        process.stdout.write(`changed the password of ${name}\n`);
        break;
      }
      case 'role': {
        const name = one(p, 'a user name');
        users.setRole(name, checkRole(p.positional[1] ?? ''));
        process.stdout.write(`${name} is now ${p.positional[1]}\n`);
        break;
      }
      case 'del': {
        const name = one(p, 'a user name');
        users.delete(name);
        process.stdout.write(`deleted user ${name}\n`);
        break;
      }
    }
    return 0;
  } catch (e) {
    process.stderr.write(`cimswitch user: ${(e as Error).message}\n`);
    return 1;
  } finally {
    db.close();
  }
}
