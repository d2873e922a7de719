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
import type { InstanceName } from '../../cim/path.js';
import { commMechanismForManagerProvider, commMechanismProvider, hostedServiceProvider, hostSystemProvider, objectManagerProvider } from './object-manager.js';
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
  /**
   * The system CIM_HostedService names as the object manager's host. Default: a
   * CIM_ComputerSystem published in the interop namespace for this host.
   */
  hostSystem?: () => InstanceName;
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
    ['CIM_HostedService', hostedServiceProvider(identity, o.hostSystem)],
  ];
  if (!o.hostSystem) providers.push([identity.systemCreationClassName, hostSystemProvider(identity)]);
  if (o.repository.hasNamespace(ns)) {
    for (const [cls, p] of providers) if (o.repository.getClass(ns, cls)) o.registry.register(ns, cls, p);
  }
  return { identity, profiles };
}
