/** Placeholder until this subcommand lands; replaced by its owner. */
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('cimswitch: this command is not built yet\n');
  return 1;
}
