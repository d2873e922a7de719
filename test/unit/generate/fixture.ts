/**
 * Hand-built resolved classes (as the MOF compiler would produce them) for emitter tests that
 * must not depend on the compiler: a keyed service with ValueMaps and methods, a subclass
 * inheriting them, and an association.
 */
import { CIMap } from '../../../src/cim/names.js';
import type { CIMClass, CIMMethod, CIMParameter, CIMProperty } from '../../../src/cim/class.js';
import type { Qualifier } from '../../../src/cim/qualifier.js';
import type { CIMType, CIMValue, CIMTypeSpec } from '../../../src/cim/types.js';
import type { ClassRepository } from '../../../src/cim/repository.js';
import { CIMDateTime } from '../../../src/cim/datetime.js';
import { DEFAULT_FLAVOR } from '../../../src/cim/qualifier.js';

export function q(name: string, type: CIMType, value: CIMValue, propagated = false): Qualifier {
  return { name, type, isArray: Array.isArray(value), value, flavor: { ...DEFAULT_FLAVOR }, propagated };
}
function qs(...list: Qualifier[]): CIMap<Qualifier> {
  return new CIMap(list.map((x) => [x.name, x]));
}
function prop(name: string, spec: Partial<CIMTypeSpec> & { type: CIMType }, origin: string, extra: Partial<CIMProperty> = {}): CIMProperty {
  return { name, isArray: false, defaultValue: null, qualifiers: qs(), classOrigin: origin, propagated: false, isKey: false, ...spec, ...extra };
}
function param(name: string, spec: Partial<CIMTypeSpec> & { type: CIMType }, io: 'in' | 'out' | 'inout', quals: Qualifier[] = []): CIMParameter {
  return { name, isArray: false, ...spec, qualifiers: qs(...quals), in: io !== 'out', out: io !== 'in' };
}

const returnMap = [q('ValueMap', 'string', ['0', '4096', '32768', '32769..65535']), q('Values', 'string', ['OK', 'Job Started', 'Failed', 'Vendor Reserved'])];

function service(): CIMClass {
  const n = 'TST_Service';
  const methods = new CIMap<CIMMethod>([
    [
      'CreateThing',
      {
        name: 'CreateThing',
        returnType: 'uint32',
        qualifiers: qs(...returnMap),
        classOrigin: n,
        propagated: false,
        parameters: new CIMap<CIMParameter>([
          ['Name', param('Name', { type: 'string' }, 'in', [q('Required', 'boolean', true)])],
          ['Size', param('Size', { type: 'uint64' }, 'in')],
          ['Settings', param('Settings', { type: 'string', isArray: true, embedded: 'instance' }, 'in')],
          ['Created', param('Created', { type: 'reference', refClass: 'TST_Thing' }, 'out')],
        ]),
      },
    ],
    [
      'Reset',
      { name: 'Reset', returnType: 'uint32', qualifiers: qs(), classOrigin: n, propagated: false, parameters: new CIMap() },
    ],
  ]);
  return {
    name: n,
    qualifiers: qs(q('Description', 'string', 'A test service.')),
    properties: new CIMap<CIMProperty>([
      ['Name', prop('Name', { type: 'string' }, n, { isKey: true, qualifiers: qs(q('Key', 'boolean', true)) })],
      ['Started', prop('Started', { type: 'boolean' }, n, { defaultValue: true })],
      [
        'EnabledState',
        prop('EnabledState', { type: 'uint16' }, n, {
          defaultValue: 5,
          qualifiers: qs(q('ValueMap', 'string', ['0', '2', '3', '5', '..']), q('Values', 'string', ['Unknown', 'Enabled', 'Disabled', 'Not Applicable', 'DMTF Reserved'])),
        }),
      ],
      [
        'Mode',
        prop('Mode', { type: 'string' }, n, {
          qualifiers: qs(q('ValueMap', 'string', ['Automatic', 'Manual']), q('Values', 'string', ['Automatic', 'Manual']), q('Required', 'boolean', true)),
        }),
      ],
      [
        'Status',
        prop('Status', { type: 'uint16', isArray: true }, n, {
          qualifiers: qs(q('ValueMap', 'string', ['2', '3', '4']), q('Values', 'string', ['OK', 'Degraded', 'OK'])),
        }),
      ],
      ['Counter', prop('Counter', { type: 'uint64' }, n, { defaultValue: 18446744073709551615n })],
      ['Since', prop('Since', { type: 'datetime' }, n, { defaultValue: CIMDateTime.parse('00000000000500.000000:000') })],
      ['Ratio', prop('Ratio', { type: 'real64' }, n, { defaultValue: Number.NaN })],
      ['Mac', prop('Mac', { type: 'uint8', isArray: true, arraySize: 6 }, n)],
    ]),
    methods,
    isAssociation: false,
    isIndication: false,
    isAbstract: false,
    keys: ['Name'],
  };
}

/** A subclass: inherits everything (propagated), adds one property, overrides nothing. */
function subService(base: CIMClass): CIMClass {
  const n = 'TST_SubService';
  const inheritQ = (m: CIMap<Qualifier>) => new CIMap([...m].map(([k, v]) => [k, { ...v, propagated: true }]));
  const props = new CIMap<CIMProperty>([...base.properties].map(([k, p]) => [k, { ...p, propagated: true, qualifiers: inheritQ(p.qualifiers) }]));
  props.set('Extra', prop('Extra', { type: 'sint32' }, n));
  const methods = new CIMap<CIMMethod>([...base.methods].map(([k, m]) => [k, { ...m, propagated: true, qualifiers: inheritQ(m.qualifiers) }]));
  return { ...base, name: n, superclass: base.name, qualifiers: inheritQ(base.qualifiers), properties: props, methods, keys: [...base.keys] };
}

function association(): CIMClass {
  const n = 'TST_Uses';
  const key = () => qs(q('Key', 'boolean', true));
  return {
    name: n,
    qualifiers: qs(q('Association', 'boolean', true)),
    properties: new CIMap<CIMProperty>([
      ['Antecedent', prop('Antecedent', { type: 'reference', refClass: 'TST_Service' }, n, { isKey: true, qualifiers: key() })],
      ['Dependent', prop('Dependent', { type: 'reference', refClass: 'TST_SubService' }, n, { isKey: true, qualifiers: key() })],
    ]),
    methods: new CIMap(),
    isAssociation: true,
    isIndication: false,
    isAbstract: false,
    keys: ['Antecedent', 'Dependent'],
  };
}

/** A minimal ClassRepository over a list of classes (definition order). */
export function handRepository(ns = 'root/test'): ClassRepository {
  const base = service();
  const classes = new CIMap<CIMClass>([base, subService(base), association()].map((c) => [c.name, c]));
  return {
    namespaces: () => [ns],
    hasNamespace: (n) => n === ns,
    getClass: (_n, c) => classes.get(c),
    classNames: () => [...classes.keys()],
    subclassNames: () => [],
    isSubclassOf: () => false,
    getQualifierDecl: () => undefined,
    qualifierDecls: () => [{ name: 'Key', type: 'boolean', isArray: false, defaultValue: false, scopes: ['property', 'reference'], flavor: { overridable: false, toSubclass: true, translatable: false } }],
    instances: () => [],
  };
}
