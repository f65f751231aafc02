/** Emits `<provider>/table.ts`: the provider's compiled codes, statuses and field paths. */
import type { StatementStructures } from 'ts-morph';
import type { ProviderModel } from '../model.js';
import { providerTable } from '../tables.js';
import { commentText, printLiteral } from './literal.js';
import { tableName, validatorName } from './names.js';
import type { SourceModule } from './output.js';
import type { Printer } from './printer.js';
import { importFrom } from './structures.js';

export function emitProviderTable(provider: ProviderModel, printer: Printer): SourceModule {
  const { tsMorph } = printer;
  const { StructureKind, VariableDeclarationKind } = tsMorph;
  // Stand-ins for the validators, so the table prints them by name.
  const validators = new Map<string, () => boolean>();
  const table = providerTable(provider, (typeName) => {
    const standIn = (): boolean => false;
    validators.set(typeName, standIn);
    return standIn;
  });

  const names = new Map<unknown, string>([...validators].map(([typeName, fn]) => [fn, validatorName(typeName)]));
  const codeMaps: StatementStructures[] = [];
  const codeMap = (layer: 'http' | 'task', codes: unknown, source: string): void => {
    if (names.has(codes)) return;
    const name = `${layer}Codes`;
    codeMaps.push({
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      docs: [`The declared codes of the ${layer} layer (${commentText(source)}), with their resolved outcomes.`],
      declarations: [{ name, type: 'ReadonlyMap<string, CodeEntry<SpecVocabulary>>', initializer: printLiteral(codes, { names }) }],
    });
    names.set(codes, name);
  };
  codeMap('http', table.http.codes, provider.http.fields.code.map((p) => p.join('.')).join(', '));
  if (table.task) codeMap('task', table.task.codes, provider.task!.fields.code.map((p) => p.join('.')).join(', '));

  const statements: (string | StatementStructures)[] = [
    importFrom(tsMorph, '../runtime/types.js', ['CodeEntry', 'Outcome', 'ProviderTable'], true),
    importFrom(tsMorph, '../taxonomy.js', ['SpecVocabulary'], true),
    importFrom(tsMorph, './validators.js', [...validators.keys()].map(validatorName)),
    ...codeMaps,
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: [`${commentText(provider.name)}: everything the classifiers need to know, compiled from ${commentText(provider.file)}.`],
      declarations: [{ name: tableName(provider.id), type: 'ProviderTable<SpecVocabulary>', initializer: printLiteral(table, { names, mapTypes: new Map([[table.http.statuses, 'number, Outcome<SpecVocabulary> | string']]) }) }],
    },
  ];
  const path = `${provider.id}/table.ts`;
  return { path, text: printer.print(path, statements), from: provider.file };
}
