/** Test helper: a small qualifier and class prelude, and a compile of a snippet on top of it. */
import { compileText, Repository, type CompileResult } from '../../../src/mof/index.js';

export const PRELUDE = `
Qualifier Association : boolean = false, Scope(association), Flavor(DisableOverride, ToSubclass);
Qualifier Indication : boolean = false, Scope(class, indication), Flavor(DisableOverride, ToSubclass);
Qualifier Abstract : boolean = false, Scope(class, association, indication), Flavor(EnableOverride, Restricted);
Qualifier Terminal : boolean = false, Scope(class, association, indication);
Qualifier Key : boolean = false, Scope(property, reference), Flavor(DisableOverride, ToSubclass);
Qualifier Description : string = null, Scope(any), Flavor(EnableOverride, ToSubclass, Translatable);
Qualifier ValueMap : string[], Scope(property, method, parameter);
Qualifier Values : string[], Scope(property, method, parameter), Flavor(EnableOverride, ToSubclass, Translatable);
Qualifier Override : string = null, Scope(property, reference, method), Flavor(EnableOverride, Restricted);
Qualifier In : boolean = true, Scope(parameter), Flavor(DisableOverride, ToSubclass);
Qualifier Out : boolean = false, Scope(parameter), Flavor(DisableOverride, ToSubclass);
Qualifier MaxLen : uint32 = null, Scope(property, method, parameter);
Qualifier MaxValue : sint64 = null, Scope(property, method, parameter);
Qualifier Max : uint32 = null, Scope(reference);
Qualifier Static : boolean = false, Scope(property, method), Flavor(DisableOverride, ToSubclass);
Qualifier EmbeddedInstance : string = null, Scope(property, method, parameter);
Qualifier EmbeddedObject : boolean = false, Scope(property, method, parameter), Flavor(DisableOverride, ToSubclass);
Qualifier Version : string = null, Scope(class, association, indication), Flavor(EnableOverride, Restricted, Translatable);
Qualifier Weight : real32 = null, Scope(property);
Qualifier Letter : char16 = null, Scope(property);
Qualifier Since : datetime = null, Scope(property);

[Abstract, Version("1.0.0"), Description("base")]
class T_Base {
    [Key, Description("id"), MaxLen(16)] string Id;
    string Name = "n";
    uint8 Small;
    [Static] uint32 Ping([In] string S, [In(false), Out] string Reply, [Out] uint16 Code);
};
[Association] class T_Assoc { [Key] T_Base REF A; [Key] T_Base REF B; };
class T_Leaf : T_Base { };
`;

/** A repository holding the prelude (compiled without errors). */
export function preludeRepository(): Repository {
  const r = compileText(PRELUDE, 'prelude.mof');
  if (r.errors) throw new Error('prelude does not compile: ' + r.diagnostics.map((d) => d.message).join('; '));
  return r.repository;
}

/** Compiles a snippet (file name 'case.mof') on top of a fresh prelude repository. */
export function compileCase(text: string): CompileResult {
  return compileText(text, 'case.mof', { into: preludeRepository() });
}
