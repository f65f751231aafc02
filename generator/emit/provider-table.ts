/** The module `<provider>/table`: the provider's compiled codes, statuses and field paths. */
import type { ProviderModel, TaxonomyModel } from '../model.js';
import { placeText } from '../field-path.js';
import { withDefaults } from '../runtime/retry.js';
import { softFailureOf } from '../runtime/soft-failure.js';
import type { Outcome, ProviderTable, RawFields, RetryRule, Vocabulary } from '../runtime/types.js';
import { providerTable } from '../tables.js';
import { commentText, printLiteral } from './literal.js';
import type { Declaration, ModuleSpec } from './module.js';
import { withoutAnnotations } from '../envelopes.js';
import { categoryRuleName, envelopeCheckName, responseTableName, shapeCheckName, tableName } from './names.js';
import { readerDeclaration, readerName } from './readers.js';
import { shapeCheckDeclaration } from './shape-checks.js';

export function providerTableModule(
  provider: ProviderModel,
  taxonomy: TaxonomyModel,
): ModuleSpec {
  // Stand-ins for the envelope checks (a shape check, or ajv's validator) and the field readers, so that the table prints them by name.
  const names = new Map<unknown, string>();
  const readers: Declaration[] = [];
  const shapeChecks: Declaration[] = [];
  // ajv's validators the table checks with, where an envelope has no shape check: most tables import none.
  const ajvChecks: string[] = [];
  const helpers = new Set<string>();
  const table = providerTable(provider, {
    conforms: ({ typeName, envelope }) => {
      const standIn = (): boolean => false;
      // The shape check where the envelope's keywords allow one; ajv's validator otherwise.
      const shapeCheck = shapeCheckDeclaration(shapeCheckName(typeName), typeName, withoutAnnotations(envelope), helpers);
      if (shapeCheck) shapeChecks.push(shapeCheck);
      else ajvChecks.push(envelopeCheckName(typeName));
      names.set(standIn, shapeCheck?.name ?? envelopeCheckName(typeName));
      return standIn;
    },
    read: (layer) => {
      const standIn = (): RawFields => ({ code: undefined, codeFallbacks: undefined, message: undefined, param: undefined, suggestion: undefined, subtype: undefined, status: undefined });
      names.set(standIn, readerName(layer));
      readers.push(readerDeclaration(layer, helpers));
      return standIn;
    },
  });

  // The table names the runtime's functions it needs (the hint reader of its headers, the finder of
  // its soft failures), so that a bundle keeps those and leaves the others out.
  const uses = (f: (...args: never[]) => unknown): void => {
    names.set(f, f.name);
    helpers.add(f.name);
  };
  uses(table.http.hints);
  if (table.http.softFailures !== null || (table.task?.softFailures ?? null) !== null) uses(softFailureOf);

  const rules = categoryRules(provider, taxonomy, table, names);
  const codeMaps: Declaration[] = [];
  for (const layer of [provider.http, provider.task]) {
    const codes = layer === provider.http ? table.http.codes : table.task?.codes;
    if (!layer || !codes || names.has(codes)) continue;
    const name = `${layer.layer}Codes`;
    const where = layer.codePlaces.map(placeText).join(', ');
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
  // Inference from mixed entries would be too narrow, so the TypeScript names the statuses' types.
  const mapTypes = new Map([[table.http.statuses, 'number, Outcome<SpecVocabulary> | string']]);
  const http: Declaration = {
    kind: 'const',
    exported: false,
    name: 'httpLayer',
    type: 'HttpTable<SpecVocabulary>',
    value: printLiteral(table.http, { names, mapTypes }),
    jsValue: printLiteral(table.http, { names }),
    docs: 'The HTTP layer: how a failed response is read and what its codes and statuses mean.',
  };
  names.set(table.http, http.name);

  return {
    path: `${provider.id}/table`,
    from: provider.file,
    declarations: [
      {
        kind: 'import',
        from: '../runtime.js',
        names: [
          { name: 'HttpTable', in: ['ts', 'src'] as const },
          'ProviderTable',
          'ResponseTable',
          ...['CodeEntry', 'Loose', 'Outcome', 'RawFields', 'RetryRule'].map((name) => ({ name, in: ['ts', 'src'] as const })),
        ],
        type: true,
      },
      // The readers' steps into arrays, the shape checks' helpers, the hint reader, the soft failures' finder.
      ...(helpers.size > 0 ? [{ kind: 'import' as const, from: '../runtime.js', names: [...helpers].sort(), in: ['js', 'ts', 'src'] as const }] : []),
      { kind: 'import', from: '../taxonomy.js', names: ['SpecVocabulary'], type: true },
      ...(ajvChecks.length > 0 ? [{ kind: 'import' as const, from: './validators.js', names: ajvChecks, in: ['js', 'ts', 'src'] as const }] : []),
      ...shapeChecks,
      ...readers,
      ...rules,
      ...codeMaps,
      http,
      {
        kind: 'const',
        exported: true,
        name: responseTableName(provider.id),
        type: 'ResponseTable<SpecVocabulary>',
        value: `{ id: ${printLiteral(provider.id)}, http: ${http.name} }`,
        docs: 'What classifying a response reads: an app that only classifies responses bundles this much, and none of the task layer.',
      },
      {
        kind: 'const',
        exported: true,
        name: tableName(provider.id),
        type: 'ProviderTable<SpecVocabulary>',
        value: printLiteral(table, { names }),
        docs: `${commentText(provider.name)}: everything the classifiers need to know, compiled from ${commentText(provider.file)}.`,
      },
    ],
  };
}

/**
 * A rule that is its category's default (with the provider's defaults over it) prints once, as a
 * constant named after the category (`rateLimitedRetry`), and every entry using it refers to it;
 * a rule of an entry's own prints inline, in the entry. Each name comes from the category it
 * stands for, so adding or removing a code never renames another's rule.
 */
function categoryRules(
  provider: ProviderModel,
  taxonomy: TaxonomyModel,
  table: ProviderTable<Vocabulary>,
  names: Map<unknown, string>,
): Declaration[] {
  const defaults = new Map<string, string>();
  for (const category of taxonomy.categories) {
    if (category.outcome.retry) defaults.set(category.id, JSON.stringify(withDefaults(category.outcome.retry, provider.retryDefaults)));
  }
  const used = new Map<string, RetryRule>();
  const visit = (outcome: Outcome<Vocabulary>): void => {
    if (outcome.retry === null || JSON.stringify(outcome.retry) !== defaults.get(outcome.category)) return;
    names.set(outcome.retry, categoryRuleName(outcome.category));
    used.set(outcome.category, outcome.retry);
  };
  for (const layer of [table.http, table.task]) {
    for (const entry of layer?.codes.values() ?? []) {
      visit(entry);
      for (const subtype of entry.subtypes) if (subtype.outcome) visit(subtype.outcome);
    }
  }
  for (const entry of table.http.statuses.values()) if (typeof entry !== 'string') visit(entry);

  const over = provider.retryDefaults ? `, with ${commentText(provider.name)}'s retry defaults over it` : '';
  return taxonomy.categories.flatMap((category): Declaration[] => {
    const rule = used.get(category.id);
    if (!rule) return [];
    return [{ kind: 'const', exported: false, name: categoryRuleName(category.id), type: 'RetryRule', value: printLiteral(rule), docs: `The ${category.id} category's retry rule${over}.` }];
  });
}
