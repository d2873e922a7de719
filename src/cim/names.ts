/**
 * Case-insensitive CIM names. Class, property, method, parameter and qualifier names compare
 * without regard to case (DSP0004 5.1); every comparison in the project goes through here.
 * CIMap keeps the spelling of the first insertion for printing and its insertion order.
 */

/** The folded form of a CIM name, for map keys and equality. */
export function ciKey(name: string): string {
  return name.toLowerCase();
}

/** True when two CIM names are the same name. */
export function ciEq(a: string | undefined | null, b: string | undefined | null): boolean {
  if (a == null || b == null) return a == b;
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/** An insertion-ordered map keyed by CIM name, case-insensitive, remembering the original spelling. */
export class CIMap<V> implements Iterable<[string, V]> {
  private readonly items = new Map<string, { name: string; value: V }>();

  constructor(entries?: Iterable<[string, V]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }
  get size(): number {
    return this.items.size;
  }
  has(name: string): boolean {
    return this.items.has(ciKey(name));
  }
  get(name: string): V | undefined {
    return this.items.get(ciKey(name))?.value;
  }
  /** The stored spelling of a name, or undefined when absent. */
  nameOf(name: string): string | undefined {
    return this.items.get(ciKey(name))?.name;
  }
  /** Sets a value; an existing entry keeps its position and its original spelling. */
  set(name: string, value: V): this {
    const k = ciKey(name);
    const cur = this.items.get(k);
    this.items.set(k, { name: cur ? cur.name : name, value });
    return this;
  }
  delete(name: string): boolean {
    return this.items.delete(ciKey(name));
  }
  clear(): void {
    this.items.clear();
  }
  keys(): IterableIterator<string> {
    return Array.from(this.items.values(), (e) => e.name)[Symbol.iterator]();
  }
  values(): IterableIterator<V> {
    return Array.from(this.items.values(), (e) => e.value)[Symbol.iterator]();
  }
  entries(): IterableIterator<[string, V]> {
    return Array.from(this.items.values(), (e) => [e.name, e.value] as [string, V])[Symbol.iterator]();
  }
  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }
  clone(): CIMap<V> {
    return new CIMap<V>(this.entries());
  }
}
