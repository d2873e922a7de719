/**
 * `cimswitch mof check FILE... [-I DIR]...`: compiles the files into one repository, prints
 * every diagnostic to stderr, then one summary line; exit code 1 when there were errors,
 * 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { compileFiles, formatDiagnostic } from './index.js';

const USAGE = 'usage: cimswitch mof check FILE... [-I DIR]... [--namespace NS]\n';

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'check') {
    process.stderr.write(sub ? `cimswitch mof: unknown subcommand '${sub}'\n${USAGE}` : USAGE);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        include: { type: 'string', short: 'I', multiple: true },
        namespace: { type: 'string', short: 'n' },
      },
    });
  } catch (e) {
    process.stderr.write(`cimswitch mof check: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.positionals.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const r = compileFiles(parsed.positionals, {
    includeDirs: parsed.values.include ?? [],
    namespace: parsed.values.namespace,
  });
  for (const d of r.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
  process.stderr.write(
    `classes: ${r.stats.classes}, qualifiers: ${r.stats.qualifiers}, instances: ${r.stats.instances}, errors: ${r.errors}\n`,
  );
  return r.errors > 0 ? 1 : 0;
}
