/**
 * The model as the runtime reads it. The example checker runs these tables in memory; the emitter
 * prints the very same objects as code, so what is checked is what ships.
 */
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_REQUEST_ID, usualRetryAfter, type LayerModel, type Model, type ProviderModel, type SoftFailureModel } from './model.js';
import { readFieldPaths } from './runtime/body.js';
import { planHeaders, readUsualHeaders } from './runtime/headers.js';
import { readDeclaredHints } from './runtime/hints.js';
import { softFailureOf } from './runtime/soft-failure.js';
import { SUBTYPE_FLAGS, WAIT_PATTERN_FLAGS } from './validate/regex.js';
import type {
  CodeEntry,
  EnvelopeCheck,
  FieldReader,
  HttpTable,
  LayerTable,
  NetworkTable,
  ProviderTable,
  SoftFailures,
  TaskTable,
  TaxonomyTable,
  Vocabulary,
} from './runtime/types.js';

/**
 * The functions a table refers to. The example checker binds compiled validators and generic
 * field readers; the emitter binds stand-ins that print as the names of generated functions.
 */
export interface TableFunctions {
  readonly conforms: (layer: LayerModel) => EnvelopeCheck;
  readonly read?: (layer: LayerModel) => FieldReader;
}

/**
 * A layer's field reader for the example checks, which run before any code exists: the same reads
 * as the reader errspec generates (readers.ts), one path at a time.
 */
export function genericReader(layer: LayerModel): FieldReader {
  return (body) => readFieldPaths(layer.fields, body);
}

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
  };
}

export function networkTable({ taxonomy: { network } }: Model): NetworkTable<Vocabulary> {
  return {
    unprocessed: new Set(network.unprocessed ?? []),
    codes: new Map(Object.entries(network.codes)),
    names: new Map(Object.entries(network.names)),
    messages: network.messages.map((m) => ({ contains: m.contains.toLowerCase(), category: m.category })),
  };
}

export function providerTable(provider: ProviderModel, functions: TableFunctions): ProviderTable<Vocabulary> {
  const http: HttpTable<Vocabulary> = {
    ...layerTable(provider.http, functions, null),
    statuses: new Map(provider.statuses.map((s) => [s.status, s.code ?? s.outcome!])),
    ...headerPlaces(provider),
  };
  const task: TaskTable<Vocabulary> | null = provider.task
    ? {
        ...layerTable(provider.task, functions, provider.task.codesFrom === 'http' ? http.codes : null),
        states: new Map(provider.task.states),
        absent: provider.task.absent,
        progressScale: provider.task.progressScale,
        httpStates: new Map(provider.task.httpStates),
        pollAfter: provider.task.pollAfter.map((wait) => ({
          ...('header' in wait.place ? { header: wait.place.header.toLowerCase() } : { path: wait.place.path }),
          format: wait.format,
          pattern: waitPattern(wait.pattern),
        })),
        taskId: provider.task.taskId,
        progress: provider.task.progress,
        submitTaskId: provider.task.submitTaskId.value,
        poll: provider.task.poll.value,
        result: provider.task.result?.value ?? null,
      }
    : null;
  return {
    id: provider.id,
    http,
    task,
    retryDefaults: provider.retryDefaults,
    networkRetryDefaults: provider.networkRetryDefaults,
    idempotencyHeader: provider.idempotencyHeader?.value ?? null,
    requestHeaders: provider.requestHeaders.map((header) => [header.name, header.value] as const),
    concurrency: provider.concurrency?.value ?? null,
  };
}

/**
 * The headers a provider's classification reads, and where its code and request id are among them;
 * none of that for a provider that reads the usual headers only.
 */
function headerPlaces(provider: ProviderModel): Pick<HttpTable<Vocabulary>, 'headers' | 'hints' | 'codeHeaders' | 'requestId' | 'verdicts' | 'retryAfter'> {
  const usualWaits = usualRetryAfter(provider);
  const usual = usualWaits && isDeepStrictEqual(provider.requestId, DEFAULT_REQUEST_ID) && provider.http.codePlaces.every((place) => 'path' in place) && provider.verdicts.length === 0;
  if (usual) return { headers: null, hints: readUsualHeaders, codeHeaders: [], requestId: null, verdicts: [], retryAfter: null };
  const named = [
    ...[...provider.requestId, ...provider.http.codePlaces, ...provider.retryAfter.map((wait) => wait.place)].flatMap((place) => ('header' in place ? [place.header] : [])),
    ...provider.verdicts.map((verdict) => verdict.header),
  ];
  const headers = planHeaders(named);
  const index = (name: string): number => headers.names.indexOf(name.toLowerCase());
  return {
    headers,
    hints: readDeclaredHints,
    codeHeaders: provider.http.codePlaces.flatMap((place, at) => ('header' in place ? [{ header: index(place.header), at }] : [])),
    requestId: provider.requestId.map((place) => ('header' in place ? { header: index(place.header) } : { path: place.path })),
    verdicts: provider.verdicts.map((verdict) => ({ header: index(verdict.header), values: new Map(verdict.values) })),
    retryAfter: usualWaits
      ? null
      : provider.retryAfter.map((wait) => ({
          ...('header' in wait.place ? { header: index(wait.place.header) } : { path: wait.place.path }),
          format: wait.format,
          pattern: waitPattern(wait.pattern),
        })),
  };
}

function waitPattern(pattern: string | null): RegExp | null {
  return pattern === null ? null : new RegExp(pattern, WAIT_PATTERN_FLAGS);
}

function layerTable(
  layer: LayerModel,
  functions: TableFunctions,
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
            pattern: s.regex === null ? null : new RegExp(s.regex, SUBTYPE_FLAGS),
            outcome: s.outcome,
          })),
        },
      ]),
    );
  // Prefixes longest first, so that the most specific one decides; among equals, the spec's order.
  const prefixes = [...codes.keys()].filter((code) => code.endsWith('*')).sort((a, b) => b.length - a.length);
  return { conforms: functions.conforms(layer), read: (functions.read ?? genericReader)(layer), paths: layer.fields, codes, prefixes, softFailures: softFailureTable(layer.softFailures) };
}

/** A layer's soft failures, with the headers their conditions read; null when it has none. */
function softFailureTable(rules: readonly SoftFailureModel[]): SoftFailures | null {
  if (rules.length === 0) return null;
  const names = rules.flatMap((rule) => rule.when.flatMap(({ place }) => ('header' in place ? [place.header] : [])));
  const headers = names.length === 0 ? null : planHeaders(names);
  const index = (name: string): number => headers!.names.indexOf(name.toLowerCase());
  return {
    headers,
    rules: rules.map((rule) => ({
      when: rule.when.map(({ place, test }) => ({
        ...('header' in place ? { header: index(place.header) } : { path: place.path }),
        ...('is' in test ? { is: new Set(test.is) } : test),
      })),
      code: rule.code,
      message: rule.message,
    })),
    find: softFailureOf,
  };
}
