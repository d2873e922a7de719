/**
 * The virtual-networking domain under the Msvm providers: switches, ports, VLANs, host NICs,
 * LAN endpoints and connections, VMs and their NICs, the MAC pool and jobs — with their rules,
 * SQLite persistence and realization in the dataplane and Linux namespaces. No CIM in here:
 * keys are the CIM key values so providers map 1:1. Open with `VirtualNetwork.open(options)`;
 * the caller's contract is `NetworkApi` in api.ts. Choices made where the reference is silent:
 * docs/msvm-choices.md.
 */
export * from './types.js';
export type * from './api.js';
export { VirtualNetwork } from './network.js';
export { desiredDataplane, vlanConfig, type RealizeEnv } from './realize.js';
export { parseMac, parseUnicastMac, ZERO_MAC, defaultMacPool } from './mac.js';
export { parsePortRef, parsePathKeys, wmiPortPath, newGuid, normalizeGuid } from './paths.js';
