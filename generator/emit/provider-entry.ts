/**
 * The module `<provider>/index`, the provider's subpath: code unions, envelope types, validators,
 * and classifiers bound to this provider that load no other provider's code.
 */
import type { LayerModel, ProviderModel } from '../model.js';
import { commentText, printLiteral, quote } from './literal.js';
import type { Declaration, ModuleSpec } from './module.js';
import { codeListName, codeUnionName, guardName, tableName, validatorName } from './names.js';
import { unionType } from './printer.js';

export function providerEntryModule(provider: ProviderModel): ModuleSpec {
  const layers = [provider.http, provider.task].filter((l): l is LayerModel => l !== null);
  const table = tableName(provider.id);
  const typeNames = layers.map((l) => l.typeName);

  const codeDeclarations = layers.flatMap((layer): Declaration[] => {
    const union = codeUnionName(provider.id, layer.layer);
    const where = commentText(layer.fields.code.map((p) => p.join('.')).join(' or '));
    return [
      layer.codesFrom === 'http'
        ? { kind: 'type', name: union, type: codeUnionName(provider.id, 'http'), docs: `The declared codes of failed tasks (${where}): the same as the HTTP layer's.` }
        : { kind: 'type', name: union, type: unionType(layer.codes.map((c) => quote(c.code))), docs: `The declared codes of the ${layer.layer} layer (${where}).` },
      {
        kind: 'const',
        exported: true,
        name: codeListName(provider.id, layer.layer),
        type: `readonly ${union}[]`,
        value: printLiteral(layer.codes.map((c) => c.code)),
        docs: `Every declared code of the ${layer.layer} layer, in spec order.`,
      },
    ];
  });

  const guards = layers.map((layer): Declaration => ({
    kind: 'function',
    name: guardName(layer.typeName),
    parameters: [{ name: 'data', type: 'unknown' }],
    returnType: `data is ${layer.typeName}`,
    body: `return ${validatorName(layer.typeName)}(data);`,
    docs: `Whether a parsed body matches the declared ${layer.typeName} envelope.`,
  }));

  const classifiers: Declaration[] = [
    {
      kind: 'function',
      name: 'classifyResponse',
      parameters: [{ name: 'response', type: 'HttpResponse' }],
      returnType: 'ClassifiedError',
      body: `return classifyHttp(taxonomy, ${table}, response);`,
      docs: `Classifies a failed ${commentText(provider.name)} HTTP response, as the root's classifyResponse(${quote(provider.id)}, response) does.`,
    },
  ];
  if (provider.task) {
    classifiers.push({
      kind: 'function',
      name: 'classifyTask',
      parameters: [{ name: 'task', type: 'unknown' }],
      returnType: 'ClassifiedError | null',
      body: `return classifyTaskWith(taxonomy, ${table}, task);`,
      docs: `Classifies a ${commentText(provider.name)} task-status body; null unless the task has failed.`,
    });
  }

  const value = ['ts', 'js'] as const;
  return {
    path: `${provider.id}/index`,
    from: provider.file,
    declarations: [
      {
        kind: 'import',
        from: '../runtime.js',
        names: [
          { name: 'classifyHttp', in: value },
          ...(provider.task ? [{ name: 'classifyTask', alias: 'classifyTaskWith', in: value }] : []),
          { name: 'HttpResponseLike', alias: 'HttpResponse', type: true },
        ],
      },
      { kind: 'import', from: '../taxonomy.js', names: [{ name: 'taxonomy', in: value }, { name: 'ClassifiedError', type: true }] },

      { kind: 'import', from: './types.js', names: typeNames, type: true },
      { kind: 'import', from: './table.js', names: [table, ...typeNames.map(validatorName)], in: value },
      { kind: 'reexport', from: './types.js', names: typeNames, type: true },
      { kind: 'reexport', from: './table.js', names: [table, ...typeNames.map(validatorName)] },
      ...codeDeclarations,
      ...guards,
      ...classifiers,
    ],
  };
}
