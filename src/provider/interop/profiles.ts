/**
 * Registered management profiles (DSP1033): the API other providers call to advertise a
 * profile they implement (e.g. the Virtual Networking profile), and the providers for
 * CIM_RegisteredProfile, CIM_ElementConformsToProfile (profile -> its central instances, which
 * may live in another namespace) and CIM_ReferencedProfile (Antecedent = the referenced
 * component profile, Dependent = the referencing one, DMTF direction).
 * DMTF "Profile Registration" 1.0.0 is always registered, with the object manager conforming.
 */
import { CimError } from '../../cim/errors.js';
import type { CIMInstance } from '../../cim/instance.js';
import { ciKey } from '../../cim/names.js';
import { InstanceName } from '../../cim/path.js';
import type { Provider, ProviderContext } from '../../cimom/provider.js';
import { build, objectManagerPath, type ServerIdentity } from './identity.js';

export interface ProfileSpec {
  /** RegisteredOrganization ValueMap: 1 Other, 2 DMTF, 11 SNIA, ... */
  organization: number;
  /** When organization is 1 (Other), e.g. "Microsoft". */
  otherOrganization?: string;
  name: string;
  version: string;
  /** Central (or scoping) instances, read at each enumeration; paths should carry their namespace. */
  centralInstances?: () => InstanceName[];
  /** Profiles this one references (component profiles). */
  references?: ProfileHandle[];
  /** AdvertiseTypes (default [2] Not Advertised). */
  advertiseTypes?: number[];
}

export interface ProfileHandle {
  readonly instanceId: string;
  readonly path: InstanceName;
}

const ORGS: Record<number, string> = { 2: 'DMTF', 11: 'SNIA' };

export class ProfileRegistry {
  private readonly profiles = new Map<string, ProfileSpec & ProfileHandle>();

  constructor(private readonly id: ServerIdentity) {
    this.register({ organization: 2, name: 'Profile Registration', version: '1.0.0', centralInstances: () => [objectManagerPath(id)] });
  }

  /** Advertises a profile; registering the same (organization, name, version) twice throws. */
  register(spec: ProfileSpec): ProfileHandle {
    const org = spec.organization === 1 ? spec.otherOrganization ?? 'Other' : ORGS[spec.organization] ?? String(spec.organization);
    const instanceId = `cimswitch:${org}+${spec.name}+${spec.version}`;
    if (this.profiles.has(ciKey(instanceId))) throw new CimError('CIM_ERR_ALREADY_EXISTS', `profile ${spec.name} ${spec.version} is already registered`);
    const path = InstanceName.of('CIM_RegisteredProfile', { InstanceID: instanceId }, this.id.interopNamespace);
    const entry = { ...spec, instanceId, path };
    this.profiles.set(ciKey(instanceId), entry);
    return { instanceId, path };
  }

  list(): Array<ProfileSpec & ProfileHandle> {
    return [...this.profiles.values()];
  }
}

export function registeredProfileProvider(reg: ProfileRegistry): Provider {
  return {
    enumerateInstances: (ctx: ProviderContext): CIMInstance[] =>
      reg.list().map((p) =>
        build(ctx.cls, {
          InstanceID: p.instanceId,
          RegisteredOrganization: p.organization,
          OtherRegisteredOrganization: p.organization === 1 ? p.otherOrganization ?? null : null,
          RegisteredName: p.name,
          RegisteredVersion: p.version,
          SpecificationType: 2,
          AdvertiseTypes: p.advertiseTypes ?? [2],
          AdvertiseTypeDescriptions: null,
          ElementName: p.name,
        }),
      ),
  };
}

export function conformsToProfileProvider(reg: ProfileRegistry): Provider {
  return {
    enumerateInstances: (ctx: ProviderContext): CIMInstance[] =>
      reg.list().flatMap((p) => (p.centralInstances?.() ?? []).map((c) => build(ctx.cls, { ConformantStandard: p.path, ManagedElement: c }))),
  };
}

export function referencedProfileProvider(reg: ProfileRegistry): Provider {
  return {
    enumerateInstances: (ctx: ProviderContext): CIMInstance[] =>
      reg.list().flatMap((p) => (p.references ?? []).map((r) => build(ctx.cls, { Antecedent: r.path, Dependent: p.path }))),
  };
}
