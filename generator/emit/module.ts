/**
 * A generated module described once and printed three ways: `.js`, `.d.ts`, and the full
 * TypeScript the tests type-check. Printing goes straight from ts-morph structures to text
 * (`printStructure`): nothing is parsed or transpiled. Constants and type aliases are statements
 * of their own text, because ts-morph hangs multi-line initializers one level too deep.
 */
import type {
  ExportSpecifierStructure,
  FunctionDeclarationStructure,
  ImportSpecifierStructure,
  InterfaceDeclarationStructure,
  OptionalKind,
  StatementStructures,
} from 'ts-morph';
import { header } from './header.js';
import { commentText } from './literal.js';
import type { TsMorph } from './printer.js';

/**
 * `js` and `dts` make the package; `ts` is the same module as one TypeScript file, for the tests'
 * whole-program check against the package's `.d.ts` (what the `.js` defines is declared there);
 * `src` is the `typescript` output form, which defines everything itself (ajv's validators are
 * JavaScript in it, in an untyped module). A declaration or name without `in` is in every variant it can be.
 */
export type Variant = 'ts' | 'js' | 'dts' | 'src';

/**
 * A name, optionally aliased. `type` names vanish from the JavaScript; `in` limits a name to the
 * variants that use it, so no printed module carries an unused import.
 */
export type Named =
  | string
  | { readonly name: string; readonly alias?: string; readonly type?: boolean; readonly in?: readonly Variant[] };

export type Declaration =
  | { readonly kind: 'import'; readonly from: string; readonly names: readonly Named[]; readonly type?: boolean; readonly in?: readonly Variant[] }
  | { readonly kind: 'reexport'; readonly from: string; readonly names: readonly Named[]; readonly type?: boolean; readonly in?: readonly Variant[] }
  | {
      readonly kind: 'type';
      readonly name: string;
      /** `Code extends string = A | B`, printed as written. */
      readonly typeParameters?: readonly string[];
      readonly type: string;
      readonly docs: string;
    }
  /** Code written elsewhere (ajv's standalone validators), printed as it is in the listed variants. */
  | { readonly kind: 'raw'; readonly text: string; readonly in: readonly Variant[] }
  | {
      readonly kind: 'interface';
      readonly name: string;
      /** `Code extends string = A | B`, printed as written. */
      readonly typeParameters?: readonly string[];
      readonly extends: readonly string[];
      readonly properties: readonly { name: string; type: string }[];
      readonly docs: string;
    }
  | {
      readonly kind: 'const';
      readonly name: string;
      readonly type: string;
      readonly value: string;
      /** The value for `.js`, where it differs (type arguments removed). */
      readonly jsValue?: string;
      /** Declared only: the value is defined by a `raw` declaration in the JavaScript. */
      readonly ambient?: boolean;
      readonly docs: string;
      readonly exported: boolean;
    }
  | {
      readonly kind: 'function';
      /** Defaults to true; a module-private function is left out of the `.d.ts`. */
      readonly exported?: boolean;
      readonly name: string;
      readonly parameters: readonly { name: string; type: string; optional?: boolean }[];
      readonly returnType: string;
      readonly body: string;
      /** The body for `.js`, where it differs (type assertions removed). */
      readonly jsBody?: string;
      /** The body for the TypeScript output form, where it differs. */
      readonly srcBody?: string;
      readonly docs: string;
    };

export interface ModuleSpec {
  /** Path without extension, relative to the package root (`evolink/table`). */
  readonly path: string;
  /** What the module is generated from, for its header. */
  readonly from: string;
  readonly declarations: readonly Declaration[];
  /** Code that is not TypeScript (ajv's validators): its TypeScript output form is not type-checked. */
  readonly untyped?: boolean;
}

export function printModule(tsMorph: TsMorph, module: ModuleSpec, variant: Variant): string {
  const statements = inOrder(module.declarations).flatMap((d) => toStatements(tsMorph, d, variant));
  const text = tsMorph.printStructure(
    { kind: tsMorph.StructureKind.SourceFile, statements },
    { indentNumberOfSpaces: 2, useSingleQuote: true },
  );
  // One blank line between declarations, none doubled, no trailing blanks.
  return `${header(module.from, (module.untyped && variant === 'src') || variant === 'js' ? 'js' : variant === 'dts' ? 'dts' : 'ts')}\n${text.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

function toStatements(tsMorph: TsMorph, d: Declaration, variant: Variant): (string | StatementStructures)[] {
  const { StructureKind } = tsMorph;
  const js = variant === 'js';
  const dts = variant === 'dts';
  const within = (list: readonly Variant[]): boolean => list.includes(variant);
  switch (d.kind) {
    case 'import': {
      if ((js && d.type) || (d.in && !within(d.in))) return [];
      const names = d.names.filter((n) => typeof n === 'string' || ((!js || !n.type) && (!n.in || within(n.in))));
      if (names.length === 0) return [];
      // `import { type A, type B }` reads better as `import type { A, B }`.
      const allTypes = d.type === true || names.every((n) => typeof n !== 'string' && n.type === true);
      const printed = allTypes ? names.map((n) => (typeof n === 'string' ? n : { ...n, type: false })) : names;
      return [{ kind: StructureKind.ImportDeclaration, moduleSpecifier: d.from, isTypeOnly: allTypes, namedImports: printed.map(specifier) }];
    }
    case 'reexport': {
      if ((js && d.type) || (d.in && !within(d.in))) return [];
      return [{ kind: StructureKind.ExportDeclaration, moduleSpecifier: d.from, isTypeOnly: d.type ?? false, namedExports: d.names.map(exportSpecifier) }];
    }
    case 'type':
      return js ? [] : [`\n${jsDoc(d.docs)}\nexport type ${d.name}${d.typeParameters ? `<${d.typeParameters.join(', ')}>` : ''} = ${d.type};`];
    case 'interface': {
      if (js) return [];
      const structure: InterfaceDeclarationStructure = {
        kind: StructureKind.Interface,
        name: d.name,
        isExported: true,
        typeParameters: [...(d.typeParameters ?? [])],
        extends: [...d.extends],
        properties: d.properties.map((p) => ({ name: p.name, type: p.type })),
        docs: [commentText(d.docs)],
      };
      return [structure];
    }
    case 'raw':
      return d.in.includes(variant) ? [`\n${d.text.trim()}`] : [];
    case 'const': {
      if ((dts && !d.exported) || ((js || variant === 'src') && d.ambient)) return [];
      const declared = dts || d.ambient === true;
      const head = `${d.exported ? 'export ' : ''}${declared ? 'declare ' : ''}const ${d.name}${js ? '' : `: ${d.type}`}`;
      const value = js ? d.jsValue ?? d.value : d.value;
      return [`\n${jsDoc(d.docs)}\n${head}${declared ? '' : ` = ${value}`};`];
    }
    case 'function': {
      const exported = d.exported ?? true;
      if (dts && !exported) return [];
      const fn: FunctionDeclarationStructure = {
        kind: StructureKind.Function,
        name: d.name,
        isExported: exported,
        hasDeclareKeyword: dts,
        docs: [commentText(d.docs)],
        parameters: d.parameters.map((p) => ({ name: p.name, type: js ? undefined : p.type, hasQuestionToken: !js && p.optional === true })),
        returnType: js ? undefined : d.returnType,
        statements: dts ? undefined : [js ? (d.jsBody ?? d.body) : variant === 'src' ? (d.srcBody ?? d.body) : d.body],
      };
      return [fn];
    }
  }
}

/**
 * Imports first, one declaration per module, then re-exports, one per module and kind, then the
 * rest as declared: parts of a module (the executor's functions, say) declare what they need, and
 * the module still reads as one.
 */
function inOrder(declarations: readonly Declaration[]): Declaration[] {
  const imports = new Map<string, Named[]>();
  const reexports = new Map<string, Extract<Declaration, { kind: 'reexport' }>>();
  const rest: Declaration[] = [];
  for (const d of declarations) {
    if (d.kind === 'import') {
      // The declaration's own `type` and `in` go to each of its names, so that names can be merged.
      const names = d.names.map((n): Named => {
        const named = typeof n === 'string' ? { name: n } : n;
        return { ...named, type: d.type === true || named.type === true, in: named.in ?? d.in };
      });
      const merged = imports.get(d.from) ?? [];
      for (const name of names) if (!merged.some((m) => sameName(m, name))) merged.push(name);
      imports.set(d.from, merged);
    } else if (d.kind === 'reexport') {
      const key = `${d.from}\0${d.type === true}\0${(d.in ?? []).join()}`;
      const seen = reexports.get(key);
      reexports.set(key, seen ? { ...seen, names: [...seen.names, ...d.names] } : d);
    } else {
      rest.push(d);
    }
  }
  const merged: Declaration[] = [...imports].map(([from, names]) => ({ kind: 'import', from, names: sorted(names).map(plain) }));
  return [...merged, ...[...reexports.values()].map((d) => ({ ...d, names: sorted(d.names) })), ...rest];
}

/** Values before types, each alphabetically: the same module's names in the same order everywhere. */
function sorted(names: readonly Named[]): Named[] {
  const key = (n: Named): string => (typeof n === 'string' ? `0${n}` : `${n.type ? 1 : 0}${n.name}`).toLowerCase();
  return [...names].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function sameName(a: Named, b: Named): boolean {
  // The same name for different variants (a type here, a value there) is two names.
  const name = (n: Named): string => (typeof n === 'string' ? n : `${n.name} as ${n.alias ?? n.name} in ${(n.in ?? []).join()}`);
  return name(a) === name(b);
}

/** A name with nothing to say beyond itself prints as a plain string. */
function plain(named: Named): Named {
  return typeof named !== 'string' && !named.alias && !named.type && !named.in ? named.name : named;
}

/** A one-line doc comment; spec text inside cannot close it early. */
function jsDoc(text: string): string {
  return `/** ${commentText(text)} */`;
}

function specifier(named: Named): string | OptionalKind<ImportSpecifierStructure> {
  if (typeof named === 'string') return named;
  return { name: named.name, alias: named.alias, isTypeOnly: named.type === true };
}

function exportSpecifier(named: Named): string | OptionalKind<ExportSpecifierStructure> {
  return typeof named === 'string' ? named : { name: named.name, alias: named.alias };
}
