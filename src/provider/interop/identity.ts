/**
 * Who this server is, as the interop classes publish it: the hosting system's name, the
 * object manager's unique and stable name (kept in the store so it survives restarts), the
 * product name and version pywbem and other clients read as "brand" and "version", and
 * paths of the singleton objects the associations point at.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { CIMClass } from '../../cim/class.js';
import { CIMInstance } from '../../cim/instance.js';
import { InstanceName } from '../../cim/path.js';
import type { CIMValue } from '../../cim/types.js';
import { propertyValue } from '../../cimom/index.js';
import type { Settings } from '../../store/settings.js';

export interface ServerIdentity {
  /** The namespace the interop classes live in (e.g. `root/interop`). */
  interopNamespace: string;
  systemCreationClassName: string;
  systemName: string;
  /** Unique object manager name, `cimswitch:<GUID>`. */
  objectManagerName: string;
  productName: string;
  version: string;
}

export interface IdentityOptions {
  interopNamespace: string;
  version?: string;
  systemName?: string;
  settings?: Settings;
}

export function serverIdentity(o: IdentityOptions): ServerIdentity {
  const make = () => 'cimswitch:' + randomUUID().toUpperCase();
  return {
    interopNamespace: o.interopNamespace,
    systemCreationClassName: 'CIM_ComputerSystem',
    systemName: o.systemName ?? os.hostname(),
    objectManagerName: o.settings ? o.settings.getOrCreate('objectManagerName', make) : make(),
    productName: 'cimswitch',
    version: o.version ?? '0.1.0',
  };
}

export function objectManagerPath(id: ServerIdentity): InstanceName {
  return InstanceName.of('CIM_ObjectManager', {
    CreationClassName: 'CIM_ObjectManager',
    Name: id.objectManagerName,
    SystemCreationClassName: id.systemCreationClassName,
    SystemName: id.systemName,
  }, id.interopNamespace);
}

/** The hosting computer system as the interop namespace shows it (the object manager's scoping system). */
export function hostSystemPath(id: ServerIdentity): InstanceName {
  return InstanceName.of(id.systemCreationClassName, { CreationClassName: id.systemCreationClassName, Name: id.systemName }, id.interopNamespace);
}

export function commMechanismPath(id: ServerIdentity): InstanceName {
  return InstanceName.of('CIM_CIMXMLCommunicationMechanism', {
    CreationClassName: 'CIM_CIMXMLCommunicationMechanism',
    Name: id.objectManagerName + ':CIM-XML',
    SystemCreationClassName: id.systemCreationClassName,
    SystemName: id.systemName,
  }, id.interopNamespace);
}

/** An instance of `cls` with the given values, typed from the declaration; unknown names are skipped. */
export function build(cls: CIMClass, values: Record<string, CIMValue>): CIMInstance {
  const inst = new CIMInstance(cls.name);
  for (const [n, v] of Object.entries(values)) {
    const p = cls.properties.get(n);
    if (p) inst.properties.set(p.name, propertyValue(p, v));
  }
  return inst;
}
