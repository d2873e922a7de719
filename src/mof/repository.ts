/**
 * The compiled model: per namespace, resolved classes in definition order, qualifier
 * declarations and MOF-declared instances. Implements the read-only ClassRepository
 * contract (src/cim/repository.ts); the add* methods are the compiler's write side.
 * Namespace names compare case-insensitively with `/` and `\` both accepted.
 */
import type { CIMClass, CIMInstance, ClassRepository, QualifierDecl } from '../cim/index.js';
import { CIMap, ciKey } from '../cim/index.js';

interface Namespace {
  name: string;
  classes: CIMap<CIMClass>;
  qualifiers: CIMap<QualifierDecl>;
  instances: CIMInstance[];
  /** Folded superclass name ('' for top level) -> direct subclass names in definition order. */
  children: Map<string, string[]>;
}

function nsKey(ns: string): string {
  return ciKey(ns.replace(/\\/g, '/').replace(/^\/+|\/+$/g, ''));
}

export class Repository implements ClassRepository {
  private readonly spaces = new Map<string, Namespace>();
  /** Raw spelling -> namespace, so hot lookups skip normalisation. */
  private readonly bySpelling = new Map<string, Namespace>();

  /** Creates the namespace when absent; returns its canonical name. */
  addNamespace(ns: string): string {
    return this.space(ns, true)!.name;
  }

  private space(ns: string, create = false): Namespace | undefined {
    const hit = this.bySpelling.get(ns);
    if (hit) return hit;
    const k = nsKey(ns);
    let s = this.spaces.get(k);
    if (!s && create) {
      s = {
        name: ns.replace(/\\/g, '/').replace(/^\/+|\/+$/g, ''),
        classes: new CIMap(),
        qualifiers: new CIMap(),
        instances: [],
        children: new Map(),
      };
      this.spaces.set(k, s);
    }
    if (s) this.bySpelling.set(ns, s);
    return s;
  }

  /** Adds a resolved class; its superclass (if any) must already be present. */
  addClass(ns: string, cls: CIMClass): void {
    const s = this.space(ns, true)!;
    s.classes.set(cls.name, cls);
    const parent = cls.superclass ? ciKey(cls.superclass) : '';
    const list = s.children.get(parent);
    if (list) list.push(cls.name);
    else s.children.set(parent, [cls.name]);
  }

  addQualifierDecl(ns: string, q: QualifierDecl): void {
    this.space(ns, true)!.qualifiers.set(q.name, q);
  }

  addInstance(ns: string, inst: CIMInstance): void {
    this.space(ns, true)!.instances.push(inst);
  }

  // --- ClassRepository -----------------------------------------------------------------

  namespaces(): string[] {
    return Array.from(this.spaces.values(), (s) => s.name);
  }

  hasNamespace(ns: string): boolean {
    return this.spaces.has(nsKey(ns));
  }

  getClass(ns: string, className: string): CIMClass | undefined {
    return this.space(ns)?.classes.get(className);
  }

  classNames(ns: string): string[] {
    const s = this.space(ns);
    return s ? Array.from(s.classes.keys()) : [];
  }

  subclassNames(ns: string, className: string | undefined, deep: boolean): string[] {
    const s = this.space(ns);
    if (!s) return [];
    const start = className === undefined ? '' : ciKey(className);
    const direct = s.children.get(start) ?? [];
    if (!deep) return [...direct];
    const out: string[] = [];
    const walk = (names: string[]): void => {
      for (const n of names) {
        out.push(n);
        const kids = s.children.get(ciKey(n));
        if (kids) walk(kids);
      }
    };
    walk(direct);
    return out;
  }

  isSubclassOf(ns: string, sub: string, sup: string): boolean {
    const s = this.space(ns);
    if (!s) return false;
    const target = ciKey(sup);
    let cur: CIMClass | undefined = s.classes.get(sub);
    for (let guard = 0; cur && guard < 10000; guard++) {
      if (ciKey(cur.name) === target) return true;
      cur = cur.superclass ? s.classes.get(cur.superclass) : undefined;
    }
    return false;
  }

  getQualifierDecl(ns: string, name: string): QualifierDecl | undefined {
    return this.space(ns)?.qualifiers.get(name);
  }

  qualifierDecls(ns: string): QualifierDecl[] {
    const s = this.space(ns);
    return s ? Array.from(s.qualifiers.values()) : [];
  }

  instances(ns: string): CIMInstance[] {
    return [...(this.space(ns)?.instances ?? [])];
  }
}
