import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './roundtrip.js';

// The compiler itself rejects a provider that misses a generated method or returns the wrong
// shape: run tsc on small providers and read its diagnostics.
const TSC = join(REPO_ROOT, 'node_modules/.bin/tsc');
const GENERATED = join(REPO_ROOT, 'src/generated/root-virtualization/index.js');

function provider(body: string): string {
  return [
    `import { Msvm_VirtualSwitchManagementService as S } from ${JSON.stringify(GENERATED)};`,
    `import type { Msvm_VirtualSwitchManagementServiceMethods } from ${JSON.stringify(GENERATED)};`,
    'const ok = { ReturnValue: S.CreateSwitch.ReturnValue.CompletedWithNoError, out: {} };',
    'export class P implements Msvm_VirtualSwitchManagementServiceMethods {',
    body,
    '}',
    '',
  ].join('\n');
}

const ALL = [
  'CreateSwitch', 'DeleteSwitch', 'CreateSwitchPort', 'DeleteSwitchPort', 'ConnectSwitchPort', 'DisconnectSwitchPort',
  'CreateInternalEthernetPort', 'CreateInternalEthernetPortDynamicMac', 'DeleteInternalEthernetPort',
  'BindExternalEthernetPort', 'UnbindExternalEthernetPort', 'SetupSwitch', 'TeardownSwitch',
];
const methods = (skip: string, replace = '') => ALL.map((m) => (m === skip ? replace : `  ${m}() { return ok; }`)).join('\n');

const cases: Array<{ what: string; source: string; errors: RegExp[] }> = [
  { what: 'a complete provider compiles', source: provider(methods('')), errors: [] },
  {
    what: 'a missing method is TS2420 naming the method',
    source: provider(methods('DeleteSwitch')),
    errors: [/error TS2420: Class 'P' incorrectly implements interface 'Msvm_VirtualSwitchManagementServiceMethods'/, /Property 'DeleteSwitch' is missing/],
  },
  {
    what: 'a wrong return type is TS2416 on that method',
    source: provider(methods('SetupSwitch', "  SetupSwitch() { return { ReturnValue: 'done', out: {} }; }")),
    errors: [/error TS2416: Property 'SetupSwitch' in type 'P' is not assignable/],
  },
];

function tsc(file: string): Promise<{ code: number; output: string }> {
  const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', '--types', 'node', '--typeRoots', join(REPO_ROOT, 'node_modules/@types'), file];
  return new Promise((resolve) => {
    execFile(TSC, args, { cwd: dirname(file), timeout: 20000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, output: stdout + stderr });
    });
  });
}

describe('generate: tsc rejects providers that break the generated contract', function () {
  this.timeout(30000);
  let dir = '';
  let results: Array<{ code: number; output: string }> = [];
  // One tsc process per case, all at once (each takes ~2 s).
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cimswitch-contract-'));
    results = await Promise.all(
      cases.map((c, i) => {
        const file = join(dir, `case${i}`, 'provider.ts');
        mkdirSync(dirname(file));
        writeFileSync(file, c.source);
        return tsc(file);
      }),
    );
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  cases.forEach((c, i) => {
    it(c.what, () => {
      const r = results[i];
      if (c.errors.length === 0) return expect(r.code, r.output).to.equal(0);
      expect(r.code, 'tsc must fail').to.not.equal(0);
      for (const e of c.errors) expect(r.output).to.match(e);
      expect(r.output).to.contain('provider.ts');
    });
  });
});
