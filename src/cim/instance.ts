/** CIM instances: a class name, property values (case-insensitive, ordered) and an optional path. */
import { CIMap } from './names.js';
import type { InstanceName } from './path.js';
import type { Qualifier } from './qualifier.js';
import type { CIMTypeSpec, CIMValue } from './types.js';

export interface PropertyValue extends CIMTypeSpec {
  name: string;
  value: CIMValue;
  /** Filled by the server when IncludeClassOrigin is asked for. */
  classOrigin?: string;
  propagated?: boolean;
  qualifiers?: CIMap<Qualifier>;
}

export class CIMInstance {
  readonly className: string;
  readonly properties: CIMap<PropertyValue>;
  path?: InstanceName;
  qualifiers?: CIMap<Qualifier>;

  constructor(className: string, properties?: Iterable<PropertyValue>, path?: InstanceName) {
    this.className = className;
    this.properties = new CIMap<PropertyValue>();
    if (properties) for (const p of properties) this.properties.set(p.name, p);
    this.path = path;
  }

  /** The value of a property, or undefined when the instance does not have it. */
  get(name: string): CIMValue | undefined {
    return this.properties.get(name)?.value;
  }

  /** Sets (or adds) a property value; the spec defaults to the existing property's shape. */
  set(name: string, value: CIMValue, spec?: CIMTypeSpec): this {
    const cur = this.properties.get(name);
    const shape = spec ?? cur;
    if (!shape) throw new TypeError(`property ${name} has no type`);
    this.properties.set(name, {
      ...cur,
      type: shape.type,
      isArray: shape.isArray,
      arraySize: shape.arraySize,
      refClass: shape.refClass,
      embedded: shape.embedded,
      name: cur?.name ?? name,
      value,
    });
    return this;
  }

  has(name: string): boolean {
    return this.properties.has(name);
  }

  /** A deep-enough copy: new property map and entries; scalar values are immutable. */
  clone(): CIMInstance {
    const c = new CIMInstance(
      this.className,
      Array.from(this.properties.values(), (p) => ({
        ...p,
        value: Array.isArray(p.value) ? [...p.value] : p.value,
      })),
      this.path,
    );
    if (this.qualifiers) c.qualifiers = this.qualifiers.clone();
    return c;
  }
}
