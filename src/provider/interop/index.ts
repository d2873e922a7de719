/**
 * The interop namespace's providers (cim-xml-protocol.md 10): what a client discovering the
 * server reads first (pywbem's WBEMServer: CIM_Namespace, CIM_ObjectManager,
 * CIM_RegisteredProfile). `registerInterop` registers those the repository has classes for
 * and returns the profile registry other providers advertise their profiles through.
 */
import type { ClassRepository } from '../../cim/repository.js';
import type { Provider, ProviderRegistry } from '../../cimom/provider.js';
import type { Settings } from '../../store/settings.js';
import { serverIdentity, type ServerIdentity } from './identity.js';
import { namespaceInManagerProvider, namespaceProvider } from './namespaces.js';
import { commMechanismForManagerProvider, commMechanismProvider, objectManagerProvider } from './object-manager.js';
import { conformsToProfileProvider, ProfileRegistry, referencedProfileProvider, registeredProfileProvider } from './profiles.js';

export { ProfileRegistry, type ProfileHandle, type ProfileSpec } from './profiles.js';
export { objectManagerPath, type ServerIdentity } from './identity.js';

export interface InteropOptions {
  registry: ProviderRegistry;
  repository: ClassRepository;
  /** Default `root/interop`. */
  interopNamespace?: string;
  /** Keeps the object manager's name stable across restarts. */
  settings?: Settings;
  version?: string;
  systemName?: string;
  /** Pull OperationTimeout bounds advertised (seconds). */
  pullTimeouts?: { minTimeout: number; maxTimeout: number };
}

export interface Interop {
  identity: ServerIdentity;
  profiles: ProfileRegistry;
}

export function registerInterop(o: InteropOptions): Interop {
  const ns = o.interopNamespace ?? 'root/interop';
  const identity = serverIdentity({ interopNamespace: ns, version: o.version, systemName: o.systemName, settings: o.settings });
  const profiles = new ProfileRegistry(identity);
  const providers: Array<[string, Provider]> = [
    ['CIM_ObjectManager', objectManagerProvider(identity)],
    ['CIM_CIMXMLCommunicationMechanism', commMechanismProvider(identity, o.pullTimeouts ?? { minTimeout: 1, maxTimeout: 3600 })],
    ['CIM_CommMechanismForManager', commMechanismForManagerProvider(identity)],
    ['CIM_Namespace', namespaceProvider(identity)],
    ['CIM_NamespaceInManager', namespaceInManagerProvider(identity)],
    ['CIM_RegisteredProfile', registeredProfileProvider(profiles)],
    ['CIM_ElementConformsToProfile', conformsToProfileProvider(profiles)],
    ['CIM_ReferencedProfile', referencedProfileProvider(profiles)],
  ];
  if (o.repository.hasNamespace(ns)) {
    for (const [cls, p] of providers) if (o.repository.getClass(ns, cls)) o.registry.register(ns, cls, p);
  }
  return { identity, profiles };
}
