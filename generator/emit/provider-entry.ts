/**
 * Emits `<provider>/index.ts`, the provider's subpath: code unions, envelope types, validators,
 * and classifiers bound to this provider that load no other provider's code.
 */
import type { StatementStructures } from 'ts-morph';
import type { LayerModel, ProviderModel } from '../model.js';
import { commentText, printLiteral, quote } from './literal.js';
import { codeListName, codeUnionName, guardName, tableName, validatorName } from './names.js';
import type { SourceModule } from './output.js';
import { unionAlias, type Printer } from './printer.js';
import { exportFrom, importFrom } from './structures.js';

export function emitProviderEntry(provider: ProviderModel, printer: Printer): SourceModule {
  const { tsMorph } = printer;
  const { StructureKind, VariableDeclarationKind } = tsMorph;
  const layers = [provider.http, provider.task].filter((l): l is LayerModel => l !== null);
  const table = tableName(provider.id);
  const typeNames = layers.map((l) => l.typeName);

  const codeDeclarations = layers.flatMap((layer): StatementStructures[] => {
    const union = codeUnionName(provider.id, layer.layer);
    const where = layer.fields.code.map((p) => p.join('.')).join(' or ');
    const alias: StatementStructures =
      layer.codesFrom === 'http'
        ? {
            kind: StructureKind.TypeAlias,
            name: union,
            isExported: true,
            type: codeUnionName(provider.id, 'http'),
            docs: [`The declared codes of failed tasks: the same as the HTTP layer's (${commentText(where)}).`],
          }
        : unionAlias(printer.tsMorph, union, layer.codes.map((c) => quote(c.code)), `The declared codes of the ${layer.layer} layer (${commentText(where)}).`);
    return [
      alias,
      {
        kind: StructureKind.VariableStatement,
        isExported: true,
        declarationKind: VariableDeclarationKind.Const,
        docs: [`Every declared code of the ${layer.layer} layer, in spec order.`],
        declarations: [{ name: codeListName(provider.id, layer.layer), type: `readonly ${union}[]`, initializer: printLiteral(layer.codes.map((c) => c.code)) }],
      },
    ];
  });

  const guards = layers.map((layer): StatementStructures => ({
    kind: StructureKind.Function,
    isExported: true,
    name: guardName(layer.typeName),
    docs: [`Whether a parsed body matches the declared ${layer.typeName} envelope.`],
    parameters: [{ name: 'data', type: 'unknown' }],
    returnType: `data is ${layer.typeName}`,
    statements: [`return ${validatorName(layer.typeName)}(data);`],
  }));

  const classifiers: StatementStructures[] = [
    {
      kind: StructureKind.Function,
      isExported: true,
      name: 'classifyResponse',
      docs: [`Classifies a failed ${commentText(provider.name)} HTTP response: the same as the root's classifyResponse(${quote(provider.id)}, response).`],
      parameters: [{ name: 'response', type: 'HttpResponse' }],
      returnType: 'ClassifiedError',
      statements: [`return classifyHttp(taxonomy, ${table}, response);`],
    },
  ];
  if (provider.task) {
    classifiers.push({
      kind: StructureKind.Function,
      isExported: true,
      name: 'classifyTask',
      docs: [`Classifies a ${commentText(provider.name)} task-status body; null unless the task has failed.`],
      parameters: [{ name: 'task', type: 'unknown' }],
      returnType: 'ClassifiedError | null',
      statements: [`return classifyTaskWith(taxonomy, ${table}, task);`],
    });
  }

  const statements: (string | StatementStructures)[] = [
    importFrom(tsMorph, '../runtime/classify.js', provider.task ? ['classifyHttp', { name: 'classifyTask', alias: 'classifyTaskWith' }] : ['classifyHttp']),
    importFrom(tsMorph, '../runtime/types.js', [{ name: 'HttpResponseLike', alias: 'HttpResponse' }], true),
    importFrom(tsMorph, '../taxonomy.js', ['taxonomy', { name: 'ClassifiedError', isTypeOnly: true }]),
    importFrom(tsMorph, './table.js', [table]),
    importFrom(tsMorph, './types.js', typeNames, true),
    importFrom(tsMorph, './validators.js', typeNames.map(validatorName)),
    exportFrom(tsMorph, './types.js', typeNames, true),
    exportFrom(tsMorph, './validators.js', typeNames.map(validatorName)),
    exportFrom(tsMorph, './table.js', [table]),
    ...codeDeclarations,
    ...guards,
    ...classifiers,
  ];
  const path = `${provider.id}/index.ts`;
  return { path, text: printer.print(path, statements), from: provider.file };
}
