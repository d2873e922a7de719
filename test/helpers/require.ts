// Tools a test needs fail it, never skip it: a skip would pass silently where the tool is
// missing. `.ci/run` installs every one; a developer gets the package to install. The only
// skips left in the suite are for a non-root run (requireRoot) and an absent ../shared.
import { spawnSync } from 'node:child_process';
import { Dataplane } from '../../src/dataplane/control.js';

/** Throws unless `cmd args` can be started (exit status not checked unless `status0`). */
export function requireTool(cmd: string, args: string[], pkg: string, status0 = false): void {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  if (r.error || (status0 && r.status !== 0))
    throw new Error(`${cmd} is needed by this test and cannot be run here: install Debian's ${pkg} (.ci/run does)`);
}

/** Throws unless the dataplane addon is built (npm install / npm ci build it with node-gyp). */
export function requireDataplane(): void {
  if (!Dataplane.available()) throw new Error('the dataplane addon is not built: run npm install (it builds build/Release/cimswitch_dataplane.node)');
}
