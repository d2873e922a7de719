/**
 * Composition of the providers, called by main.ts once the repository, store and cimom exist:
 * the store-backed default provider for every class without its own provider, and the interop
 * namespace's providers. Returns what later providers need (the profile registry to advertise
 * their profiles). The Msvm providers are added here by their owner.
 */
import type { ClassRepository } from '../cim/repository.js';
import type { ProviderRegistry } from '../cimom/provider.js';
import type { DB } from '../store/db.js';
import { InstanceStore } from '../store/instances.js';
import { Settings } from '../store/settings.js';
import { DefaultProvider } from './default.js';
import { registerInterop, type Interop } from './interop/index.js';
import { registerMsvmProviders, type MsvmDeps } from './msvm/index.js';

export interface ProviderDeps {
  registry: ProviderRegistry;
  repository: ClassRepository;
  db: DB;
  /** Default `root/interop`. */
  interopNamespace?: string;
  /** Server version published by CIM_ObjectManager. */
  version?: string;
  /** The hosting system's name the interop classes publish (SystemName); default os.hostname(). */
  systemName?: string;
  /** The virtual-networking domain: when given, the Msvm providers and their profile are registered. */
  msvm?: MsvmDeps;
}

export interface Providers extends Interop {
  store: InstanceStore;
  settings: Settings;
}

export function registerProviders(d: ProviderDeps): Providers {
  const store = new InstanceStore(d.db);
  const settings = new Settings(d.db);
  d.registry.setDefault(new DefaultProvider(store, d.repository));
  const interop = registerInterop({ registry: d.registry, repository: d.repository, interopNamespace: d.interopNamespace, settings, version: d.version, systemName: d.systemName });
  if (d.msvm) registerMsvmProviders(d.registry, { ...d.msvm, profiles: interop.profiles });
  return { ...interop, store, settings };
}
