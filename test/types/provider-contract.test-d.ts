/**
 * Type-level tests of the generated provider contracts, checked by `npm run typecheck`
 * (not run by mocha). Each `@ts-expect-error` marks code that must NOT compile: if the
 * generated types ever stop catching the mistake, the directive itself becomes an error.
 */
import { InstanceName } from '../../src/cim/path.js';
import { Msvm_VirtualSwitchManagementService as VSMS } from '../../src/generated/root-virtualization/index.js';
import type {
  Msvm_VirtualSwitch,
  Msvm_VirtualSwitchInstanceProvider,
  Msvm_VirtualSwitchKey,
  Msvm_VirtualSwitchManagementServiceMethods,
  Msvm_HostedAccessPointAssociationProvider,
} from '../../src/generated/root-virtualization/index.js';
import { untypedProvider } from '../../src/generated/runtime.js';
import type { MethodContext, ProviderContext } from '../../src/generated/runtime.js';
import type { Provider } from '../../src/cimom/provider.js';

const OK = VSMS.CreateSwitch.ReturnValue.CompletedWithNoError;
const done = { ReturnValue: OK, out: {} };

/** Every own method present, with the right shapes: compiles (inherited ones are optional). */
class CompleteService implements Msvm_VirtualSwitchManagementServiceMethods {
  CreateSwitch(p: VSMS.CreateSwitch.In): VSMS.CreateSwitch.Result {
    const name: string = p.Name ?? 'generated';
    return { ReturnValue: OK, out: { CreatedVirtualSwitch: InstanceName.of('Msvm_VirtualSwitch', { CreationClassName: 'Msvm_VirtualSwitch', Name: name }) } };
  }
  async DeleteSwitch() {
    return done;
  }
  CreateSwitchPort() {
    return done;
  }
  DeleteSwitchPort() {
    return done;
  }
  ConnectSwitchPort() {
    return done;
  }
  DisconnectSwitchPort() {
    return done;
  }
  CreateInternalEthernetPort() {
    return done;
  }
  CreateInternalEthernetPortDynamicMac() {
    return done;
  }
  DeleteInternalEthernetPort() {
    return done;
  }
  BindExternalEthernetPort() {
    return done;
  }
  UnbindExternalEthernetPort() {
    return done;
  }
  SetupSwitch(): VSMS.SetupSwitch.Result {
    return { ReturnValue: VSMS.SetupSwitch.ReturnValue.MethodParametersCheckedJobStarted, out: { Job: null } };
  }
  TeardownSwitch() {
    return done;
  }
}

/** A missing method does not compile. */
// @ts-expect-error Class 'MissingDeleteSwitch' incorrectly implements ... Property 'DeleteSwitch' is missing
class MissingDeleteSwitch implements Msvm_VirtualSwitchManagementServiceMethods {
  CreateSwitch = CompleteService.prototype.CreateSwitch;
  CreateSwitchPort = () => done;
  DeleteSwitchPort = () => done;
  ConnectSwitchPort = () => done;
  DisconnectSwitchPort = () => done;
  CreateInternalEthernetPort = () => done;
  CreateInternalEthernetPortDynamicMac = () => done;
  DeleteInternalEthernetPort = () => done;
  BindExternalEthernetPort = () => done;
  UnbindExternalEthernetPort = () => done;
  SetupSwitch = () => done;
  TeardownSwitch = () => done;
}

/** Wrong return types do not compile. */
class WrongReturns extends CompleteService implements Msvm_VirtualSwitchManagementServiceMethods {
  // @ts-expect-error ReturnValue must be a uint32 from the ValueMap, not a string
  override DeleteSwitch() {
    return { ReturnValue: 'ok', out: {} };
  }
  // @ts-expect-error 7 is not in the method's ValueMap
  override DeleteSwitchPort() {
    return { ReturnValue: 7 as const, out: {} };
  }
  // @ts-expect-error the OUT parameter CreatedSwitchPort is a reference (InstanceName), not text
  override CreateSwitchPort() {
    return { ReturnValue: OK, out: { CreatedSwitchPort: 'Msvm_SwitchPort.Name="p"' } };
  }
  // @ts-expect-error the result needs its `out` object
  override ConnectSwitchPort() {
    return { ReturnValue: OK };
  }
}

/** IN parameters are typed: optional and nullable unless Required. */
function readParams(p: VSMS.CreateSwitch.In, ctx: MethodContext): void {
  // @ts-expect-error Name may be absent or NULL
  const name: string = p.Name;
  // @ts-expect-error NumLearnableAddresses is a uint32 (number), not a string
  const n: string | null | undefined = p.NumLearnableAddresses;
  void [name, n, ctx.target];
}

/** Instance providers are typed by the class interface and its key. */
const switches: Msvm_VirtualSwitch[] = [{ CreationClassName: 'Msvm_VirtualSwitch', Name: 'sw', ElementName: 'Switch' }];
const switchProvider: Msvm_VirtualSwitchInstanceProvider = {
  enumerate: () => switches,
  get: (key: Msvm_VirtualSwitchKey) => switches.find((s) => s.Name === key.Name),
};
const badSwitchProvider: Msvm_VirtualSwitchInstanceProvider = {
  // @ts-expect-error instances must have their key properties
  enumerate: () => [{ ElementName: 'no keys' }],
  get: () => undefined,
};
// @ts-expect-error get() is required
const noGet: Msvm_VirtualSwitchInstanceProvider = { enumerate: () => [] };

/** Association providers name their roles. */
const hosted: Msvm_HostedAccessPointAssociationProvider = {
  references: (_object: InstanceName, role: 'Antecedent' | 'Dependent' | null, _ctx: ProviderContext) => (role ? [] : []),
};
const badRole: Msvm_HostedAccessPointAssociationProvider = {
  // @ts-expect-error the role parameter is the union of reference names, not any string
  references: (_o: InstanceName, role: 'Antecedent' | 'Nope' | null) => (role === 'Nope' ? [] : []),
};

/** The adapter output is a cimom Provider. */
const registered: Provider[] = [
  untypedProvider({ instances: switchProvider }),
  untypedProvider({ methods: new CompleteService() }),
  untypedProvider({ associations: hosted }),
];

export const used = [MissingDeleteSwitch, WrongReturns, readParams, badSwitchProvider, noGet, badRole, registered];
