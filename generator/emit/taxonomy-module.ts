/** The module `taxonomy`: the vocabulary types every other module uses, and the taxonomy table. */
import type { Model } from '../model.js';
import { networkTable, taxonomyTable } from '../tables.js';
import { commentText, printLiteral, quote } from './literal.js';
import type { ModuleSpec } from './module.js';
import { unionType } from './printer.js';

export function taxonomyModule(model: Model): ModuleSpec {
  const { taxonomy } = model;
  const ids = model.providers.map((p) => p.id);
  return {
    path: 'taxonomy',
    from: taxonomy.file,
    declarations: [
      { kind: 'import', from: './runtime.js', names: ['ClassifiedErrorOf', 'LimiterOptionsOf', 'NetworkTable', 'TaskStateOf', 'TaxonomyTable', 'Vocabulary'], type: true },
      {
        kind: 'import',
        from: './executor.js',
        names: [
          { name: 'PollOptions', alias: 'PollOptionsOf' },
          { name: 'RetryCallOptions', alias: 'RetryCallOptionsOf' },
          { name: 'RunTaskOptions', alias: 'RunTaskOptionsOf' },
        ],
        type: true,
      },
      { kind: 'type', name: 'ProviderId', type: unionType(ids.map(quote)), docs: 'The providers of the spec.' },
      { kind: 'type', name: 'Category', type: unionType(taxonomy.categories.map((c) => quote(c.id))), docs: 'What went wrong, in the canonical taxonomy.' },
      { kind: 'type', name: 'Action', type: unionType(taxonomy.actions.map((a) => quote(a.id))), docs: 'What the caller should do next.' },
      { kind: 'type', name: 'Fault', type: unionType(["'caller'", "'provider'", "'network'", "'unknown'"]), docs: 'Whose fault a failure is.' },
      {
        kind: 'interface',
        name: 'SpecVocabulary',
        extends: ['Vocabulary'],
        properties: [
          { name: 'provider', type: 'ProviderId' },
          { name: 'category', type: 'Category' },
          { name: 'action', type: 'Action' },
        ],
        docs: "The spec's names, for the runtime's generic types.",
      },
      {
        kind: 'interface',
        name: 'ClassifiedError',
        extends: ['ClassifiedErrorOf<SpecVocabulary>'],
        properties: [],
        docs: 'What went wrong, whose fault it is, whether to retry, and what to do next.',
      },
      { kind: 'interface', name: 'RetryCallOptions', extends: ['RetryCallOptionsOf<SpecVocabulary>'], properties: [], docs: 'How fetchWithRetry sends: signal, limits, idempotency and the waits.' },
      { kind: 'interface', name: 'PollOptions', extends: ['PollOptionsOf<SpecVocabulary>'], properties: [], docs: "How pollTask polls: the retry options for each status request, and the cadence." },
      { kind: 'interface', name: 'RunTaskOptions', extends: ['RunTaskOptionsOf<SpecVocabulary>'], properties: [], docs: 'How runTask submits and polls.' },
      { kind: 'interface', name: 'LimiterOptions', extends: ['LimiterOptionsOf<SpecVocabulary>'], properties: [], docs: "createLimiter's options: where the limits live, the permits per provider, and the retry budget." },
      { kind: 'interface', name: 'TaskState', extends: ['TaskStateOf<SpecVocabulary>'], properties: [], docs: 'Where a task stands: running, completed, failed or cancelled, with its id and progress.' },
      { kind: 'const', exported: true, name: 'providerIds', type: 'readonly ProviderId[]', value: printLiteral(ids), docs: 'Every provider id, in order.' },
      {
        kind: 'const',
        exported: true,
        name: 'categoryInfo',
        type: 'ReadonlyMap<Category, { readonly fault: Fault; readonly description: string }>',
        value: printLiteral(new Map(taxonomy.categories.map((c) => [c.id, { fault: c.fault, description: c.outcome.description }]))),
        docs: 'Every category with whose fault it is and what it means.',
      },
      {
        kind: 'const',
        exported: true,
        name: 'actionInfo',
        type: 'ReadonlyMap<Action, string>',
        value: printLiteral(new Map(taxonomy.actions.map((a) => [a.id, a.description]))),
        docs: 'Every action with what it asks of the caller.',
      },
      {
        kind: 'const',
        exported: true,
        name: 'taxonomy',
        type: 'TaxonomyTable<SpecVocabulary>',
        value: printLiteral(taxonomyTable(model)),
        docs: `The canonical defaults: category outcomes and the status fallback (${commentText(taxonomy.file)}).`,
      },
      {
        kind: 'const',
        exported: true,
        name: 'network',
        type: 'NetworkTable<SpecVocabulary>',
        value: printLiteral(networkTable(model)),
        docs: `Thrown values by code, name and message, as classifyException reads them (${commentText(taxonomy.file)}); apart from the taxonomy, so that a bundle that never classifies a thrown value leaves them out.`,
      },
    ],
  };
}
