/** The module `<provider>/table`: the provider's compiled codes, statuses and field paths. */
import type { ProviderModel } from '../model.js';
import { providerTable } from '../tables.js';
import { commentText, printLiteral } from './literal.js';
import type { Declaration, ModuleSpec } from './module.js';
import { tableName, validatorName } from './names.js';
import { readerDeclaration, readerName } from './readers.js';
import { validatorDeclarations } from './validators.js';
import type { CompiledEnvelopes } from '../envelopes.js';
import type { RawFields } from '../runtime/types.js';

export function providerTableModule(provider: ProviderModel, envelopes: CompiledEnvelopes): ModuleSpec {
  // Stand-ins for the validators and field readers, so that the table prints them by name.
  const names = new Map<unknown, string>();
  const readers: Declaration[] = [];
  const table = providerTable(provider, {
    conforms: (typeName) => {
      const standIn = (): boolean => false;
      names.set(standIn, validatorName(typeName));
      return standIn;
    },
    read: (layer) => {
      const standIn = (): RawFields => ({ code: [], message: undefined, param: undefined, suggestion: undefined, subtype: undefined, status: undefined });
      names.set(standIn, readerName(layer));
      readers.push(readerDeclaration(layer));
      return standIn;
    },
  });

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
        from: '../runtime.js',
        names: ['EnvelopeValidator', 'ProviderTable', ...['CodeEntry', 'Loose', 'Outcome', 'RawFields'].map((name) => ({ name, in: ['ts'] as const }))],
        type: true,
      },
      { kind: 'import', from: './types.js', names: [provider.http, provider.task].flatMap((l) => (l ? [l.typeName] : [])), type: true },
      { kind: 'import', from: '../taxonomy.js', names: ['SpecVocabulary'], type: true },
      ...validatorDeclarations(provider, envelopes),
      ...codeMaps,
      ...readers,
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
