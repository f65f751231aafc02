/** Shorthands for the structures every emitter builds, so emitters read as the modules they make. */
import type {
  ExportDeclarationStructure,
  ExportSpecifierStructure,
  ImportDeclarationStructure,
  ImportSpecifierStructure,
  OptionalKind,
} from 'ts-morph';
import type { TsMorph } from './printer.js';

/** A name, optionally aliased or (inside a value import) type-only. */
type Named = string | { readonly name: string; readonly alias?: string; readonly isTypeOnly?: boolean };

export function importFrom(tsMorph: TsMorph, moduleSpecifier: string, namedImports: readonly Named[], isTypeOnly = false): ImportDeclarationStructure {
  const named = namedImports.map((n): string | OptionalKind<ImportSpecifierStructure> => (typeof n === 'string' ? n : { ...n }));
  return { kind: tsMorph.StructureKind.ImportDeclaration, moduleSpecifier, namedImports: named, isTypeOnly };
}

export function exportFrom(tsMorph: TsMorph, moduleSpecifier: string, namedExports: readonly Named[], isTypeOnly = false): ExportDeclarationStructure {
  const named = namedExports.map((n): string | OptionalKind<ExportSpecifierStructure> => (typeof n === 'string' ? n : { ...n }));
  return { kind: tsMorph.StructureKind.ExportDeclaration, moduleSpecifier, namedExports: named, isTypeOnly };
}
