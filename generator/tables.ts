/**
 * The model as the runtime reads it. The example checker runs these tables in memory; the emitter
 * prints the very same objects as code, so what is checked is what ships.
 */
import type { LayerModel, Model, ProviderModel } from './model.js';
import type {
  CodeEntry,
  EnvelopeCheck,
  HttpTable,
  LayerTable,
  ProviderTable,
  TaskTable,
  TaxonomyTable,
  Vocabulary,
} from './runtime/types.js';

/** Supplies the envelope check for a type name: a compiled validator, or a stand-in the emitter names. */
export type EnvelopeChecks = (typeName: string) => EnvelopeCheck;

export function taxonomyTable(model: Model): TaxonomyTable<Vocabulary> {
  const { taxonomy } = model;
  return {
    categories: new Map(taxonomy.categories.map((c) => [c.id, c.outcome])),
    statusFallback: {
      exact: new Map(taxonomy.statusFallback.exact),
      ranges: new Map(taxonomy.statusFallback.ranges),
      otherwise: taxonomy.statusFallback.otherwise,
    },
    cancelled: 'cancelled',
    network: {
      codes: new Map(Object.entries(taxonomy.network.codes)),
      names: new Map(Object.entries(taxonomy.network.names)),
      messages: taxonomy.network.messages.map((m) => ({ contains: m.contains.toLowerCase(), category: m.category })),
    },
  };
}

export function providerTable(provider: ProviderModel, checks: EnvelopeChecks): ProviderTable<Vocabulary> {
  const http: HttpTable<Vocabulary> = {
    ...layerTable(provider.http, checks, null),
    statuses: new Map(provider.statuses.map((s) => [s.status, s.code ?? s.outcome!])),
  };
  const task: TaskTable<Vocabulary> | null = provider.task
    ? {
        ...layerTable(provider.task, checks, provider.task.codesFrom === 'http' ? http.codes : null),
        statusField: provider.task.statusField,
        states: new Map(provider.task.states),
      }
    : null;
  return { id: provider.id, http, task, retryDefaults: provider.retryDefaults };
}

function layerTable(
  layer: LayerModel,
  checks: EnvelopeChecks,
  sharedCodes: ReadonlyMap<string, CodeEntry<Vocabulary>> | null,
): LayerTable<Vocabulary> {
  const codes =
    sharedCodes ??
    new Map(
      layer.codes.map((c) => [
        c.code,
        {
          ...c.outcome,
          subtypes: c.subtypes.map((s) => ({
            id: s.id,
            contains: s.contains,
            pattern: s.regex === null ? null : new RegExp(s.regex, 'i'),
            outcome: s.outcome,
          })),
        },
      ]),
    );
  return { conforms: checks(layer.typeName), fields: layer.fields, codes };
}
