/** The module `<provider>/table`: the provider's compiled codes, statuses and field paths. */
import type { ProviderModel } from '../model.js';
import { providerTable } from '../tables.js';
import { commentText, printLiteral } from './literal.js';
import type { Declaration, ModuleSpec } from './module.js';
import { tableName, validatorName } from './names.js';

export function providerTableModule(provider: ProviderModel): ModuleSpec {
  // Stand-ins for the validators, so that the table prints them by name.
  const validators = new Map<string, () => boolean>();
  const table = providerTable(provider, (typeName) => {
    const standIn = (): boolean => false;
    validators.set(typeName, standIn);
    return standIn;
  });
  const names = new Map<unknown, string>([...validators].map(([typeName, fn]) => [fn, validatorName(typeName)]));

  const codeMaps: Declaration[] = [];
  for (const layer of [provider.http, provider.task]) {
    const codes = layer === provider.http ? table.http.codes : table.task?.codes;
    if (!layer || !codes || names.has(codes)) continue;
    const name = `${layer.layer}Codes`;
    const where = layer.fields.code.map((p) => p.join('.')).join(', ');
    codeMaps.push({
      kind: 'const',
      exported: false,
      name,
      type: 'ReadonlyMap<string, CodeEntry<SpecVocabulary>>',
      value: printLiteral(codes, { names }),
      docs: `The declared codes of the ${layer.layer} layer (${commentText(where)}), with their resolved outcomes.`,
    });
    names.set(codes, name);
  }

  return {
    path: `${provider.id}/table`,
    from: provider.file,
    declarations: [
      {
        kind: 'import',
        from: '../runtime/types.js',
        names: [{ name: 'CodeEntry', in: ['ts'] }, { name: 'Outcome', in: ['ts'] }, 'ProviderTable'],
        type: true,
      },
      { kind: 'import', from: '../taxonomy.js', names: ['SpecVocabulary'], type: true },
      { kind: 'import', from: './validators.js', names: [...validators.keys()].map(validatorName), in: ['ts', 'js'] },
      ...codeMaps,
      {
        kind: 'const',
        exported: true,
        name: tableName(provider.id),
        type: 'ProviderTable<SpecVocabulary>',
        // Inference from mixed entries would be too narrow, so the TypeScript names the map's types.
        value: printLiteral(table, { names, mapTypes: new Map([[table.http.statuses, 'number, Outcome<SpecVocabulary> | string']]) }),
        jsValue: printLiteral(table, { names }),
        docs: `${commentText(provider.name)}: everything the classifiers need to know, compiled from ${commentText(provider.file)}.`,
      },
    ],
  };
}
