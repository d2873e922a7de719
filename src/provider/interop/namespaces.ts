/**
 * CIM_Namespace, one instance per namespace the repository serves, and CIM_NamespaceInManager
 * linking each to the object manager. Creating or deleting namespaces is not offered (the
 * namespaces are the compiled MOF entry files), so both are read-only.
 */
import type { CIMInstance } from '../../cim/instance.js';
import { InstanceName } from '../../cim/path.js';
import type { Provider, ProviderContext } from '../../cimom/provider.js';
import { build, objectManagerPath, type ServerIdentity } from './identity.js';

function namespaceKeys(id: ServerIdentity, name: string): Record<string, string> {
  return {
    SystemCreationClassName: id.systemCreationClassName,
    SystemName: id.systemName,
    ObjectManagerCreationClassName: 'CIM_ObjectManager',
    ObjectManagerName: id.objectManagerName,
    CreationClassName: 'CIM_Namespace',
    Name: name,
  };
}

export function namespaceProvider(id: ServerIdentity): Provider {
  return {
    enumerateInstances: (ctx: ProviderContext): CIMInstance[] =>
      ctx.repository.namespaces().map((ns) =>
        build(ctx.cls, { ...namespaceKeys(id, ns), ElementName: ns, ClassInfo: 0, ClassType: 2, ClassTypeVersion: '2.49.0', DescriptionOfClassType: 'CIM' }),
      ),
  };
}

export function namespaceInManagerProvider(id: ServerIdentity): Provider {
  return {
    enumerateInstances: (ctx: ProviderContext): CIMInstance[] =>
      ctx.repository.namespaces().map((ns) =>
        build(ctx.cls, {
          Antecedent: objectManagerPath(id),
          Dependent: InstanceName.of('CIM_Namespace', namespaceKeys(id, ns), id.interopNamespace),
        }),
      ),
  };
}
