/**
 * CIM_ObjectManager (exactly one: this server), its CIM-XML communication mechanism and the
 * association between them (cim-xml-protocol.md 10). Read-only: they describe the server.
 * FunctionalProfilesSupported lists what the cimom implements: Basic Read/Write, Instance
 * Manipulation, Association Traversal, Query Execution, Qualifier Declaration (read), Pulled
 * Read, Pulled Read Count and Pulled Query Execution; not Schema Manipulation nor Indications.
 */
import type { CIMInstance } from '../../cim/instance.js';
import type { Provider, ProviderContext } from '../../cimom/provider.js';
import type { InstanceName } from '../../cim/path.js';
import { build, commMechanismPath, hostSystemPath, objectManagerPath, type ServerIdentity } from './identity.js';

export function objectManagerProvider(id: ServerIdentity): Provider {
  return {
    enumerateInstances: (ctx: ProviderContext): CIMInstance[] => [
      build(ctx.cls, {
        SystemCreationClassName: id.systemCreationClassName,
        SystemName: id.systemName,
        CreationClassName: 'CIM_ObjectManager',
        Name: id.objectManagerName,
        ElementName: id.productName,
        Caption: `${id.productName} CIM Server`,
        Description: `${id.productName} CIM Server Version ${id.version}`,
        Started: true,
        EnabledState: 2,
        RequestedState: 12,
        EnabledDefault: 2,
        OperationalStatus: [2],
        HealthState: 5,
        GatherStatisticalData: false,
      }),
    ],
  };
}

export function commMechanismProvider(id: ServerIdentity, pull: { minTimeout: number; maxTimeout: number }): Provider {
  return {
    enumerateInstances: (ctx: ProviderContext): CIMInstance[] => [
      build(ctx.cls, {
        SystemCreationClassName: id.systemCreationClassName,
        SystemName: id.systemName,
        CreationClassName: 'CIM_CIMXMLCommunicationMechanism',
        Name: commMechanismPath(id).key('Name')!,
        ElementName: `${id.productName} CIM-XML`,
        CommunicationMechanism: 2,
        Version: '1.0',
        CIMXMLProtocolVersion: 1,
        FunctionalProfilesSupported: [2, 3, 5, 6, 7, 8, 10, 11, 12],
        FunctionalProfileDescriptions: ['Basic Read', 'Basic Write', 'Instance Manipulation', 'Association Traversal',
          'Query Execution', 'Qualifier Declaration', 'Pulled Read', 'Pulled Read Count', 'Pulled Query Execution'],
        MultipleOperationsSupported: false,
        AuthenticationMechanismsSupported: [3],
        AuthenticationMechanismDescriptions: ['Basic'],
        AdvertiseTypes: [2],
        CIMValidated: false,
        EnabledState: 2,
        PulledEnumerationClosureOnExceedingServerLimitsSupported: false,
        PulledEnumerationContinuationOnErrorSupported: false,
        PulledEnumerationNoOperationTimeoutSupported: false,
        PulledEnumerationMinimumOperationTimeout: pull.minTimeout,
        PulledEnumerationMaximumOperationTimeout: pull.maxTimeout,
      }),
    ],
  };
}

export function commMechanismForManagerProvider(id: ServerIdentity): Provider {
  return {
    enumerateInstances: (ctx: ProviderContext): CIMInstance[] => [
      build(ctx.cls, { Antecedent: objectManagerPath(id), Dependent: commMechanismPath(id) }),
    ],
  };
}

/**
 * The system hosting the object manager (CIM_ComputerSystem in the interop namespace, the
 * keys the object manager's System* properties name), unless the caller points
 * CIM_HostedService at another system (e.g. the Hyper-V host in root/virtualization).
 */
export function hostSystemProvider(id: ServerIdentity): Provider {
  return {
    enumerateInstances: (ctx: ProviderContext): CIMInstance[] => [
      build(ctx.cls, {
        CreationClassName: id.systemCreationClassName,
        Name: id.systemName,
        ElementName: id.systemName,
        NameFormat: 'Other',
        Dedicated: [0],
        EnabledState: 2,
        OperationalStatus: [2],
        HealthState: 5,
      }),
    ],
  };
}

export function hostedServiceProvider(id: ServerIdentity, system: () => InstanceName = () => hostSystemPath(id)): Provider {
  return {
    enumerateInstances: (ctx: ProviderContext): CIMInstance[] => [build(ctx.cls, { Antecedent: system(), Dependent: objectManagerPath(id) })],
  };
}
