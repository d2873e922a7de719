/**
 * The `cimswitch` command. Each subcommand lives in its own module exporting
 * `run(args: string[]): Promise<number>` (the exit code); this file only dispatches,
 * loading the module lazily so `mof check` never loads the server.
 */
type Runner = (args: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Runner> }> = {
  serve: { summary: 'run the WBEM server', load: async () => (await import('./main.js')).run },
  user: { summary: 'manage users (add, passwd, del, list)', load: async () => (await import('./store/users-cli.js')).run },
  mof: { summary: 'MOF tools (mof check FILE... [-I DIR]...)', load: async () => (await import('./mof/cli.js')).run },
};

function usage(): string {
  return (
    'usage: cimswitch <command> [options]\n\ncommands:\n' +
    Object.entries(commands).map(([n, c]) => `  ${n.padEnd(8)} ${c.summary}`).join('\n') + '\n'
  );
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`cimswitch: unknown command '${name}'\n` + usage());
    return 2;
  }
  return (await cmd.load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`cimswitch: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
