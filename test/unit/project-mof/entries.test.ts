/**
 * The three namespace entry files of mof/ each compile on their own with zero errors and zero
 * warnings, with the qualifier declarations and the class sets each namespace should have.
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { compileFiles, formatDiagnostic } from '../../../src/mof/index.js';

const mof = (f: string) => fileURLToPath(new URL(`../../../mof/${f}`, import.meta.url));

// [entry, namespace, classes that must be there, classes that must not]
const ENTRIES: [string, string, string[], string[]][] = [
  ['root-virtualization.mof', 'root/virtualization',
    ['CIM_ManagedElement', 'CIM_ComputerSystem', 'Msvm_VirtualSwitch', 'Msvm_SwitchPort', 'Msvm_BindsTo',
      'Msvm_VirtualSwitchManagementService'],
    ['CIM_Namespace', 'CIM_ObjectManager']],
  ['root-interop.mof', 'root/interop',
    ['CIM_ManagedElement', 'CIM_Namespace', 'CIM_ObjectManager', 'CIM_RegisteredProfile',
      'CIM_ElementConformsToProfile', 'CIM_IndicationFilter', 'CIM_ListenerDestinationCIMXML',
      'CIM_IndicationSubscription', 'CIM_InstCreation', 'CIM_InstDeletion', 'CIM_InstModification',
      'CIM_ReferencedProfile'],
    ['Msvm_VirtualSwitch']],
  ['root-cimv2.mof', 'root/cimv2', ['CIM_ManagedElement', 'CIM_EthernetPort', 'CIM_ConcreteJob'],
    ['Msvm_VirtualSwitch', 'CIM_Namespace']],
];

describe('project MOF: namespace entry files', () => {
  for (const [entry, ns, present, absent] of ENTRIES) {
    it(`${entry} compiles into ${ns} with no diagnostics`, () => {
      const r = compileFiles([mof(entry)], { namespace: ns });
      expect(r.diagnostics.map(formatDiagnostic)).to.deep.equal([]);
      expect(r.errors).to.equal(0);
      expect(r.stats.qualifiers).to.equal(70);
      expect(r.repository.hasNamespace(ns)).to.equal(true);
      const missing = present.filter((c) => !r.repository.getClass(ns, c));
      const unexpected = absent.filter((c) => r.repository.getClass(ns, c));
      expect({ missing, unexpected }).to.deep.equal({ missing: [], unexpected: [] });
    });
  }
});
