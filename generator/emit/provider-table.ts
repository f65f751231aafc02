/** The module `<provider>/table`: the provider's compiled codes, statuses and field paths. */
import type { ProviderModel } from '../model.js';
import { providerTable } from '../tables.js';
import { commentText, printLiteral } from './literal.js';
import type { Declaration, ModuleSpec } from './module.js';
import { tableName, validatorName } from './names.js';
import { readerDeclaration, readerName } from './readers.js';
import { validatorDeclarations } from './validators.js';
import type { Outcome, ProviderTable, RawFields, RetryRule, Vocabulary } from '../runtime/types.js';
import { camel } from './names.js';

export function providerTableModule(provider: ProviderModel, validatorSource: string): ModuleSpec {
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
      const standIn = (): RawFields => ({ code: undefined, codeFallbacks: undefined, message: undefined, param: undefined, suggestion: undefined, subtype: undefined, status: undefined });
      names.set(standIn, readerName(layer));
      readers.push(readerDeclaration(layer));
      return standIn;
    },
  });

  const rules = sharedRules(table, names);
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
        names: ['EnvelopeValidator', 'ProviderTable', ...['CodeEntry', 'Loose', 'Outcome', 'RawFields', 'RetryRule'].map((name) => ({ name, in: ['ts'] as const }))],
        type: true,
      },
      { kind: 'import', from: './types.js', names: [provider.http, provider.task].flatMap((l) => (l ? [l.typeName] : [])), type: true },
      { kind: 'import', from: '../taxonomy.js', names: ['SpecVocabulary'], type: true },
      ...validatorDeclarations(provider, validatorSource),
      ...readers,
      ...rules,
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

/**
 * Retry rules shared by several entries print once, as named constants (`rateLimitedRetry`), so a
 * reviewer reads each rule once and sees which codes share it. Every rule object is registered in
 * `names` under its constant's name.
 */
function sharedRules(table: ProviderTable<Vocabulary>, names: Map<unknown, string>): Declaration[] {
  const byContent = new Map<string, { name: string; rule: RetryRule; users: string[] }>();
  const taken = new Set<string>();
  const visit = (outcome: Outcome<Vocabulary>, user: string): void => {
    if (outcome.retry === null) return;
    const key = JSON.stringify(outcome.retry);
    let shared = byContent.get(key);
    if (!shared) {
      const base = `${camel(outcome.category)}Retry`;
      let name = base;
      for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
      taken.add(name);
      shared = { name, rule: outcome.retry, users: [] };
      byContent.set(key, shared);
    }
    shared.users.push(user);
    names.set(outcome.retry, shared.name);
  };
  for (const layer of [table.http, table.task]) {
    for (const [code, entry] of layer?.codes ?? []) {
      visit(entry, code);
      for (const subtype of entry.subtypes) if (subtype.outcome) visit(subtype.outcome, `${code} (${subtype.id})`);
    }
  }
  for (const [status, entry] of table.http.statuses) if (typeof entry !== 'string') visit(entry, String(status));
  return [...byContent.values()].map(({ name, rule, users }) => ({
    kind: 'const',
    exported: false,
    name,
    type: 'RetryRule',
    value: printLiteral(rule),
    docs: `Retry rule of ${commentText(users.join(', '))}.`,
  }));
}
