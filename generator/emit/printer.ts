/**
 * ts-morph, loaded once per run and only when emitting: its import alone costs a large part of a
 * cold run, and `validate` never needs it.
 */
import type { OptionalKind, StatementStructures, TypeAliasDeclarationStructure } from 'ts-morph';

export type TsMorph = typeof import('ts-morph');

export interface Printer {
  readonly tsMorph: TsMorph;
  /** Prints a module from structures, in one pass (no per-declaration manipulation). */
  print(path: string, statements: readonly (string | StatementStructures)[]): string;
}

export async function createPrinter(): Promise<Printer> {
  const tsMorph = await import('ts-morph');
  const project = new tsMorph.Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    manipulationSettings: {
      quoteKind: tsMorph.QuoteKind.Single,
      indentationText: tsMorph.IndentationText.TwoSpaces,
      newLineKind: tsMorph.NewLineKind.LineFeed,
      useTrailingCommas: true,
    },
  });
  return {
    tsMorph,
    print(path, statements) {
      const file = project.createSourceFile(path, { statements: [...statements] }, { overwrite: true });
      const text = file.getFullText();
      project.removeSourceFile(file);
      return text.endsWith('\n') ? text : text + '\n';
    },
  };
}

/** `type Name =\n  | 'a'\n  | 'b';`, one member a line, so diffs show added codes. */
export function unionAlias(
  tsMorph: TsMorph,
  name: string,
  members: readonly string[],
  docs: string,
): TypeAliasDeclarationStructure {
  const type = members.length === 0 ? 'never' : members.map((m) => `\n  | ${m}`).join('');
  return { kind: tsMorph.StructureKind.TypeAlias, name, isExported: true, type, docs: [docs] } satisfies OptionalKind<TypeAliasDeclarationStructure> & { kind: unknown };
}
