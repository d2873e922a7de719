/** Msvm_AffectedJobElement (reference 5.1, 6): a job and what it acts on (VM, switch, host NICs) while both exist. */
import type { InstanceName } from '../../../cim/path.js';
import type { Msvm_AffectedJobElement } from '../../../generated/root-virtualization/Msvm_AffectedJobElement.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const affectedJobElementProvider = (m: Msvm) =>
  association<Msvm_AffectedJobElement>(m, (m, P) =>
    m.net.jobs().flatMap((j) => {
      const a = j.affected;
      const targets: InstanceName[] = [];
      if (a.vm && m.net.vm(a.vm)) targets.push(P.vm(a.vm));
      if (a.switchName && m.net.switch(a.switchName)) targets.push(P.vswitch(a.switchName));
      const ip = a.internalPort ? m.net.internalPort(a.internalPort) : undefined;
      if (ip) targets.push(P.internalPort(ip.deviceId));
      if (a.externalNic && m.net.externalNic(a.externalNic)) targets.push(P.externalPort(a.externalNic));
      return targets.map((t) => ({ AffectingElement: P.job(j), AffectedElement: t, ElementEffects: [0] }));
    }),
  );
