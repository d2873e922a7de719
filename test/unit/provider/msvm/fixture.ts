// A real cimom over the compiled root/virtualization schema with the Msvm providers registered
// over a dataplane-less domain (rules and persistence only) in a temp state dir, and small
// helpers that drive it through the Cimom interface exactly as cimxml does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CIMInstance } from '../../../../src/cim/instance.js';
import { InstanceName } from '../../../../src/cim/path.js';
import type { CIMValue } from '../../../../src/cim/types.js';
import { createCimom, type CimomServer } from '../../../../src/cimom/index.js';
import type { RequestContext } from '../../../../src/cimom/operations.js';
import { decodeEmbeddedObject } from '../../../../src/cimxml/decode-object.js';
import { loadRepository } from '../../../../src/generated/load.js';
import type { VirtualNetwork } from '../../../../src/provider/msvm/domain/index.js';
import { openVirtualNetwork, registerMsvmProviders } from '../../../../src/provider/msvm/index.js';

export const NS = 'root/virtualization';
export const HOST = 'HV1';
export const RC: RequestContext = { user: 'admin', role: 'admin', host: HOST };

function fakeSys(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'msvm-sys-'));
  for (const [name, mac] of [['lo', '00:00:00:00:00:00'], ['eth9', '52:54:00:12:34:56']]) {
    const d = path.join(root, name!);
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'address'), `${mac}\n`);
    fs.writeFileSync(path.join(d, 'mtu'), '1500\n');
    fs.writeFileSync(path.join(d, 'type'), name === 'lo' ? '772\n' : '1\n');
    fs.writeFileSync(path.join(d, 'operstate'), 'up\n');
    fs.writeFileSync(path.join(d, 'speed'), '1000\n');
    fs.writeFileSync(path.join(d, 'uevent'), `INTERFACE=${name}\n`);
  }
  return root;
}

const repository = loadRepository();

export class World {
  cimom!: CimomServer;
  net!: VirtualNetwork;
  dirs: string[] = [];
  clock = { t: Date.UTC(2026, 0, 1) };
  /** Why methods answered failure codes (MsvmDeps.log). */
  logs: string[] = [];

  static async open(vmMode: 'netns' | 'dgram' = 'netns'): Promise<World> {
    const w = new World();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msvm-state-'));
    const sys = fakeSys();
    w.dirs.push(dir, sys);
    w.net = await openVirtualNetwork({
      stateDir: dir, dataplane: 'none', vmMode, hostName: 'hv1', machineId: 'msvm-test', sysClassNet: sys, now: () => w.clock.t, pathHost: HOST,
    });
    w.cimom = createCimom({ repository, decodeEmbedded: decodeEmbeddedObject });
    registerMsvmProviders(w.cimom.registry, { network: w.net, now: () => w.clock.t, log: (l) => w.logs.push(l) });
    return w;
  }

  async close(): Promise<void> {
    await this.net?.close();
    this.cimom?.close();
    for (const d of this.dirs) fs.rmSync(d, { recursive: true, force: true });
  }

  // ---- intrinsic operations ----
  async enumerate(cls: string): Promise<Array<CIMInstance & { path: InstanceName }>> {
    const r = await this.cimom.intrinsic('EnumerateInstances', NS, {
      ClassName: cls, LocalOnly: false, DeepInheritance: true, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null,
    }, RC);
    return [...r];
  }
  async names(cls: string): Promise<InstanceName[]> {
    return [...(await this.cimom.intrinsic('EnumerateInstanceNames', NS, { ClassName: cls }, RC))];
  }
  async get(name: InstanceName | string): Promise<CIMInstance> {
    const n = typeof name === 'string' ? InstanceName.parse(name) : name;
    return this.cimom.intrinsic('GetInstance', NS, { InstanceName: n, LocalOnly: false, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null }, RC);
  }
  async associatorNames(obj: InstanceName, f: { AssocClass?: string; ResultClass?: string; Role?: string; ResultRole?: string } = {}): Promise<InstanceName[]> {
    const r = await this.cimom.intrinsic('AssociatorNames', NS, {
      ObjectName: obj, AssocClass: f.AssocClass ?? null, ResultClass: f.ResultClass ?? null, Role: f.Role ?? null, ResultRole: f.ResultRole ?? null,
    }, RC);
    return [...r] as InstanceName[];
  }
  async referenceNames(obj: InstanceName, f: { ResultClass?: string; Role?: string } = {}): Promise<InstanceName[]> {
    const r = await this.cimom.intrinsic('ReferenceNames', NS, { ObjectName: obj, ResultClass: f.ResultClass ?? null, Role: f.Role ?? null }, RC);
    return [...r] as InstanceName[];
  }
  async query(q: string): Promise<Array<CIMInstance & { path: InstanceName }>> {
    return [...(await this.cimom.intrinsic('ExecQuery', NS, { QueryLanguage: 'WQL', Query: q }, RC))] as Array<CIMInstance & { path: InstanceName }>;
  }
  async modify(name: InstanceName, props: Record<string, CIMValue>, propertyList: string[] | null = null): Promise<void> {
    const inst = new CIMInstance(name.className) as CIMInstance & { path: InstanceName };
    for (const [k, v] of Object.entries(props)) inst.set(k, v, { type: 'string', isArray: Array.isArray(v) });
    inst.path = name;
    await this.cimom.intrinsic('ModifyInstance', NS, { ModifiedInstance: inst, IncludeQualifiers: false, PropertyList: propertyList }, RC);
  }

  // ---- extrinsic methods ----
  async invoke(target: InstanceName, method: string, params: Record<string, CIMValue> = {}): Promise<{ rv: number; out: Record<string, CIMValue> }> {
    const r = await this.cimom.invokeMethod(NS, { ObjectName: target, MethodName: method, Params: Object.entries(params).map(([name, value]) => ({ name, value })) }, RC);
    const out: Record<string, CIMValue> = {};
    for (const p of r.OutParams) out[p.name] = p.value;
    return { rv: Number(r.ReturnValue.value), out };
  }
  async service(cls: 'Msvm_VirtualSwitchManagementService' | 'Msvm_VirtualSystemManagementService'): Promise<InstanceName> {
    return (await this.names(cls))[0]!;
  }
  async vsms(method: string, params: Record<string, CIMValue> = {}) {
    return this.invoke(await this.service('Msvm_VirtualSwitchManagementService'), method, params);
  }
  async vmms(method: string, params: Record<string, CIMValue> = {}) {
    return this.invoke(await this.service('Msvm_VirtualSystemManagementService'), method, params);
  }

  /** Waits until the job a method returned has finished, then reads it through GetInstance. */
  async finish(job: CIMValue): Promise<CIMInstance> {
    const n = job as InstanceName;
    await this.net.waitJob(String(n.key('InstanceID')));
    return this.get(n);
  }
}

/** A NIC RASD as CIM-XML text the way WMI's GetText_(1) writes it (reference 1.5). */
export function wmiNicText(cls: string, props: { ElementName?: string; Address?: string | null; StaticMacAddress?: boolean; Connection?: string[]; InstanceID?: string }): string {
  const p = (name: string, type: string, v: string | undefined | null, origin = cls) =>
    v === undefined || v === null
      ? `<PROPERTY NAME="${name}" CLASSORIGIN="${origin}" TYPE="${type}"></PROPERTY>`
      : `<PROPERTY NAME="${name}" CLASSORIGIN="${origin}" PROPAGATED="true" TYPE="${type}"><VALUE>${esc(v)}</VALUE></PROPERTY>`;
  const conn = props.Connection
    ? `<PROPERTY.ARRAY NAME="Connection" CLASSORIGIN="CIM_ResourceAllocationSettingData" TYPE="string"><VALUE.ARRAY>${props.Connection.map((c) => `<VALUE>${esc(c)}</VALUE>`).join('')}</VALUE.ARRAY></PROPERTY.ARRAY>`
    : '';
  return (
    `<INSTANCE CLASSNAME="${cls}">` +
    `<PROPERTY NAME="__PATH" CLASSORIGIN="___SYSTEM" TYPE="string"><VALUE>\\\\HV1\\root\\virtualization:${cls}.InstanceID="x"</VALUE></PROPERTY>` +
    `<PROPERTY NAME="__GENUS" CLASSORIGIN="___SYSTEM" TYPE="sint32"><VALUE>2</VALUE></PROPERTY>` +
    `<PROPERTY.ARRAY NAME="__DERIVATION" CLASSORIGIN="___SYSTEM" TYPE="string"><VALUE.ARRAY><VALUE>CIM_ResourceAllocationSettingData</VALUE></VALUE.ARRAY></PROPERTY.ARRAY>` +
    p('InstanceID', 'string', props.InstanceID ?? 'Microsoft:Definition\\6A45335D-4C3A-44B7-B61F-C9808BBDF8ED\\Default') +
    p('ElementName', 'string', props.ElementName) +
    p('Address', 'string', props.Address) +
    p('StaticMacAddress', 'boolean', props.StaticMacAddress === undefined ? undefined : String(props.StaticMacAddress).toUpperCase()) +
    p('ResourceType', 'uint16', '10') +
    conn +
    `</INSTANCE>`
  );
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A VSGSD as CIM-XML text (DefineVirtualSystem's SystemSettingData). */
export function vsgsdText(name: string): string {
  return (
    `<INSTANCE CLASSNAME="Msvm_VirtualSystemGlobalSettingData">` +
    `<PROPERTY NAME="__CLASS" CLASSORIGIN="___SYSTEM" TYPE="string"><VALUE>Msvm_VirtualSystemGlobalSettingData</VALUE></PROPERTY>` +
    `<PROPERTY NAME="ElementName" TYPE="string"><VALUE>${esc(name)}</VALUE></PROPERTY>` +
    `<PROPERTY NAME="AutomaticStartupAction" TYPE="uint16"><VALUE>2</VALUE></PROPERTY>` +
    `<PROPERTY NAME="Notes" TYPE="string"></PROPERTY>` +
    `</INSTANCE>`
  );
}
