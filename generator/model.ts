/**
 * Stage 3, model: the typed intermediate representation every emitter reads. Defaults are
 * resolved here, once (resolve.ts): each code, sub-type and status carries its full outcome, and
 * each retry rule is complete.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Diagnostic, SourcePosition } from './diagnostics.js';
import type { LoadedFile } from './load.js';
import type {
  CodeSpec,
  ExampleSpec,
  ExpectSpec,
  FieldsSpec,
  JsonSchema,
  OutcomeSpec,
  PackageSpec,
  TaskFieldsSpec,
  ProviderSpec,
  SoftFailureSpec,
  WaitPlaceSpec,
  TaxonomySpec,
} from './spec.js';
import { STATUS_CLASSES } from './spec.js';
import { FIRST_FAILURE_STATUS } from './contract.js';
import { partialRule, Resolver } from './resolve.js';
import { parsePlace } from './field-path.js';
import type { FieldPath, FieldPaths, Outcome, PollCadence, Place, RetryRule, StatusClass, Vocabulary, WaitFormat } from './runtime/types.js';

export type SpecOutcome = Outcome<Vocabulary>;

export interface Located {
  readonly at: SourcePosition;
}

export interface CategoryModel {
  readonly id: string;
  readonly fault: 'caller' | 'provider' | 'network' | 'unknown';
  readonly outcome: SpecOutcome;
}

export interface TaxonomyModel {
  /** The file as generated code names it (`spec/taxonomy.yaml`). */
  readonly file: string;
  readonly actions: readonly { readonly id: string; readonly description: string }[];
  readonly categories: readonly CategoryModel[];
  readonly statusFallback: {
    readonly exact: readonly (readonly [number, string])[];
    readonly ranges: readonly (readonly [number, string])[];
    readonly otherwise: string;
  };
  readonly network: TaxonomySpec['network'];
}

export interface SubtypeModel {
  readonly id: string;
  readonly description: string;
  /** Lower-case. */
  readonly contains: readonly string[];
  readonly regex: string | null;
  /** null when the sub-type means the same as its code. */
  readonly outcome: SpecOutcome | null;
  readonly note: string | null;
}

export interface CodeModel extends Located {
  readonly code: string;
  readonly status: number | null;
  readonly outcome: SpecOutcome;
  readonly subtypes: readonly SubtypeModel[];
  readonly source: string;
  readonly note: string | null;
  /** Where the provider's official SDK acts otherwise on this failure, and why errspec does not. */
  readonly sdk: string | null;
}

export interface StatusModel extends Located {
  readonly status: number;
  /** The code whose outcome the status implies, or null for an outcome of its own. */
  readonly code: string | null;
  readonly outcome: SpecOutcome | null;
  readonly note: string | null;
  readonly sdk: string | null;
}

export interface ExampleModel extends Located {
  /** Where the example sits in its file, so a check can point at one of its fields. */
  readonly path: readonly (string | number)[];
  readonly name: string;
  /** The spec names it; an unnamed example is named after its owner and place (`x example 2`). */
  readonly named: boolean;
  readonly layer: 'http' | 'task';
  /** The code whose entry holds the example; null for one of the layer's own. */
  readonly code: string | null;
  readonly status: number | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Raw text when given as `text`, else the parsed body, else undefined. */
  readonly body: unknown;
  readonly expect: ExpectSpec | null;
}

export interface LayerModel {
  readonly layer: 'http' | 'task';
  readonly envelope: JsonSchema;
  /** The envelope's title: its TypeScript type name. */
  readonly typeName: string;
  /** The body's fields; `code` holds the body candidates of `codePlaces`. */
  readonly fields: FieldPaths;
  /** Where the code is, as written: body paths, and (HTTP) headers, tried in order. */
  readonly codePlaces: readonly Place[];
  readonly codes: readonly CodeModel[];
  /** `http` when the task layer shares the HTTP layer's codes. */
  readonly codesFrom: 'http' | null;
  readonly examples: readonly ExampleModel[];
  /** Failures inside a success, tried in order. */
  readonly softFailures: readonly SoftFailureModel[];
}

/** A 2xx response or completed task whose content says it failed. */
export interface SoftFailureModel extends Located {
  /** All must hold. */
  readonly when: readonly ConditionModel[];
  /** null: the value the first condition reads is the code. */
  readonly code: string | null;
  readonly message: FieldPath | null;
  readonly source: string;
  readonly note: string | null;
}

export interface ConditionModel {
  readonly place: Place;
  readonly test: { readonly is: readonly string[] } | { readonly above: number } | { readonly empty: boolean };
}

/** A fact of the spec with the source that states it. */
export interface SourcedModel<T> {
  readonly value: T;
  readonly source: string;
  readonly note: string | null;
}

export interface TaskLayerModel extends LayerModel {
  /** Each status value as text (`processing`, `true`), and its class, in the spec's order of classes. */
  readonly states: readonly (readonly [string, StatusClass])[];
  /** The status of a body without the field that names a task (Google's omitted `done: false`). */
  readonly absent: string | null;
  /** The progress value that means done: 100 or 1. */
  readonly progressScale: number;
  /** HTTP statuses of the status request that say where the task stands, lowest first. */
  readonly httpStates: readonly (readonly [number, StatusClass])[];
  /** Where a status response states the wait before the next status request. */
  readonly pollAfter: readonly WaitPlaceModel[];
  /** Where the task id sits in the status body, tried in order. */
  readonly taskId: readonly FieldPath[];
  readonly progress: FieldPath | null;
  /** Where the new task's id sits in the submit response, tried in order. */
  readonly submitTaskId: SourcedModel<readonly FieldPath[]>;
  readonly poll: SourcedModel<PollCadence>;
  /** Where a completed task gives the URL of its result, a fetch that can fail (fal's response_url). */
  readonly result: SourcedModel<FieldPath> | null;
}

export interface ProviderModel {
  readonly id: string;
  readonly name: string;
  readonly file: string;
  readonly sources: readonly { readonly key: string; readonly document: string; readonly title: string | null }[];
  /** Over the category rules of failed responses and tasks. */
  readonly retryDefaults: Partial<RetryRule> | null;
  /** Over the category rules of network errors; null keeps the taxonomy's. */
  readonly networkRetryDefaults: Partial<RetryRule> | null;
  /** The header the provider honours to recognise a resent request. */
  readonly idempotencyHeader: SourcedModel<string> | null;
  /** The provider's documents say it honours no idempotency key (rather than saying nothing). */
  readonly noIdempotencyKey: SourcedModel<true> | null;
  /** Headers every request carries, unless the caller sets them, in the spec's order. */
  readonly requestHeaders: readonly RequestHeaderModel[];
  /** How many generations an account may run at once. */
  readonly concurrency: SourcedModel<number> | null;
  readonly http: LayerModel;
  readonly statuses: readonly StatusModel[];
  /** Where the official SDK acts otherwise on a failure no code or status entry reads, and why. */
  readonly sdkElsewhere: string | null;
  readonly task: TaskLayerModel | null;
  /** Where the request id is, in order: the spec's places, or the usual headers. */
  readonly requestId: readonly Place[];
  /** Response headers whose value decides whether an HTTP failure is worth retrying; the first present decides. */
  readonly verdicts: readonly VerdictModel[];
  /** Where the server states how long to wait, in order: the spec's places, or the usual headers. */
  readonly retryAfter: readonly WaitPlaceModel[];
}

export interface RequestHeaderModel extends SourcedModel<string> {
  readonly name: string;
}

export interface WaitPlaceModel {
  readonly place: Place;
  readonly format: WaitFormat;
  readonly pattern: string | null;
  readonly note: string | null;
}

/** Where a stated wait is read when a provider says nothing: `retry-after-ms`, then `Retry-After`. */
export const DEFAULT_RETRY_AFTER: readonly WaitPlaceModel[] = [
  { place: { header: 'retry-after-ms' }, format: 'milliseconds', pattern: null, note: null },
  { place: { header: 'retry-after' }, format: 'http_retry_after', pattern: null, note: null },
];

/** Whether a provider reads its stated waits where most do: `retry-after-ms`, then `Retry-After`. */
export function usualRetryAfter(provider: ProviderModel): boolean {
  const where = (waits: readonly WaitPlaceModel[]) => waits.map(({ place, format, pattern }) => ({ place, format, pattern }));
  return isDeepStrictEqual(where(provider.retryAfter), where(DEFAULT_RETRY_AFTER));
}

export interface VerdictModel extends Located {
  /** As the spec writes it. */
  readonly header: string;
  /** Each value, lower-case, and what it decides. */
  readonly values: readonly (readonly [string, { readonly retryable: boolean; readonly action: string | null }])[];
  readonly source: string;
  readonly note: string | null;
}

/** Where a request id is read when a provider says nothing: the headers most APIs send it in. */
export const DEFAULT_REQUEST_ID: readonly Place[] = [{ header: 'x-request-id' }, { header: 'request-id' }];

/** The generated package's own settings, from spec/package.yaml or errspec's defaults. */
export interface PackageModel {
  readonly name: string;
  /** null: a release tool owns it, and the output folder's package.json keeps the one it set. */
  readonly version: string | null;
  /** The package.json fields a user may set, as written: description, license, private, …. */
  readonly fields: Readonly<Omit<PackageSpec, 'name' | 'version'>>;
}

export const DEFAULT_PACKAGE = { name: 'api-errors', version: '0.1.0' } as const;

export interface Model {
  readonly package: PackageModel;
  readonly taxonomy: TaxonomyModel;
  /** Sorted by id. */
  readonly providers: readonly ProviderModel[];
}

export function buildModel(
  taxonomyFile: LoadedFile,
  providerFiles: readonly LoadedFile[],
  packageFile: LoadedFile | null = null,
): { model: Model; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const taxonomySpec = taxonomyFile.value as TaxonomySpec;
  const resolver = new Resolver(taxonomySpec, diagnostics);
  const taxonomy = buildTaxonomy(taxonomyFile, taxonomySpec, resolver);
  const providers = providerFiles
    .map((file) => buildProvider(file, resolver))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const { format: _format, name, version, ...fields } = (packageFile?.value ?? {}) as PackageSpec & { format?: number };
  const pkg = { name: name ?? DEFAULT_PACKAGE.name, version: version === 'keep' ? null : (version ?? DEFAULT_PACKAGE.version), fields };
  return { model: { package: pkg, taxonomy, providers }, diagnostics };
}

function buildTaxonomy(file: LoadedFile, spec: TaxonomySpec, resolver: Resolver): TaxonomyModel {
  const categories = Object.entries(spec.categories).map(([id, category]) => ({
    id,
    fault: category.fault,
    outcome: resolver.outcome(file, ['categories', id], { category: id, description: category.description }, null, null),
  }));
  return {
    file: file.name,
    actions: Object.entries(spec.actions).map(([id, description]) => ({ id, description })),
    categories,
    statusFallback: {
      exact: Object.entries(spec.statusFallback.exact).map(([status, category]) => [Number(status), category] as const),
      ranges: Object.entries(spec.statusFallback.ranges).map(([range, category]) => [Number(range[0]), category] as const),
      otherwise: spec.statusFallback.otherwise,
    },
    network: spec.network,
  };
}

function buildProvider(file: LoadedFile, resolver: Resolver): ProviderModel {
  const spec = file.value as ProviderSpec;
  const defaults = spec.defaults?.retry ?? null;
  const networkDefaults = spec.defaults?.networkRetry ?? null;
  if (defaults) resolver.checkDefaults(file, ['defaults', 'retry'], defaults);
  if (networkDefaults) resolver.checkDefaults(file, ['defaults', 'networkRetry'], networkDefaults);
  const codes = (layer: 'http' | 'task', specs: Readonly<Record<string, CodeSpec>>): CodeModel[] =>
    Object.entries(specs).map(([code, entry]) => {
      const path = ['layers', layer, 'codes', code];
      const outcome = resolver.outcome(file, path, entry, null, defaults);
      return {
        at: file.locate(path, 'key'),
        code,
        status: entry.status ?? null,
        outcome,
        subtypes: (entry.subtypes ?? []).map((subtype, i) => ({
          id: subtype.id,
          description: subtype.description,
          contains: toList(subtype.contains).map((s) => s.toLowerCase()),
          regex: subtype.regex ?? null,
          outcome: overridesOutcome(subtype)
            ? resolver.outcome(file, [...path, 'subtypes', i], subtype, outcome, defaults)
            : null,
          note: subtype.note ?? null,
        })),
        source: entry.source,
        note: entry.note ?? null,
        sdk: entry.sdk ?? null,
      };
    });
  const examples = (layer: 'http' | 'task', owners: readonly { path: (string | number)[]; examples?: readonly ExampleSpec[] }[]): ExampleModel[] =>
    owners.flatMap(({ path, examples: list }) =>
      (list ?? []).map((example, i) => ({
        at: file.locate([...path, 'examples', i]),
        path: [...path, 'examples', i],
        name: example.name ?? `${path[path.length - 1]} example ${i + 1}`,
        named: example.name !== undefined,
        layer,
        code: path[2] === 'codes' ? String(path[3]) : null,
        status: example.status ?? null,
        headers: example.headers ?? {},
        body: example.text ?? example.body,
        expect: example.expect,
      })),
    );
  const layerExamples = (layer: 'http' | 'task', own: readonly ExampleSpec[] | undefined, byCode: Readonly<Record<string, CodeSpec>>): ExampleModel[] =>
    examples(layer, [
      ...Object.entries(byCode).map(([code, entry]) => ({ path: ['layers', layer, 'codes', code], examples: entry.examples })),
      { path: ['layers', layer], examples: own },
    ]);

  const idempotency = spec.sending?.idempotencyHeader;
  const httpSpec = spec.layers.http;
  const http: LayerModel = {
    layer: 'http',
    envelope: httpSpec.envelope,
    typeName: httpSpec.envelope.title,
    ...fieldsOf(httpSpec.fields),
    codes: codes('http', httpSpec.codes),
    codesFrom: null,
    examples: layerExamples('http', httpSpec.examples, httpSpec.codes),
    softFailures: softFailures(file, 'http', httpSpec.softFailures),
  };
  const explicit: StatusModel[] = Object.entries(httpSpec.statuses ?? {}).map(([status, entry]) => {
    const path = ['layers', 'http', 'statuses', status];
    return {
      at: file.locate(path, 'key'),
      status: Number(status),
      code: entry.code ?? null,
      outcome: entry.code === undefined ? resolver.outcome(file, path, entry, null, defaults) : null,
      note: entry.note ?? null,
      sdk: entry.sdk ?? null,
    };
  });
  // A failure status no entry of `statuses` names means the code declared with it (validation
  // ensures one). A code may come with a 2xx, but a bare 2xx is still not a failure.
  const listed = new Set(explicit.map((s) => s.status));
  const implied: StatusModel[] = http.codes.flatMap((c) =>
    c.status === null || c.status < FIRST_FAILURE_STATUS || listed.has(c.status) ? [] : [{ at: c.at, status: c.status, code: c.code, outcome: null, note: null, sdk: null }],
  );
  const statuses = [...explicit, ...implied].sort((a, b) => a.status - b.status);

  const taskSpec = spec.layers.task;
  const task: TaskLayerModel | null = taskSpec
    ? {
        layer: 'task',
        envelope: taskSpec.envelope,
        typeName: taskSpec.envelope.title,
        ...fieldsOf(taskSpec.fields, taskSpec.status.field),
        codes: taskSpec.codesFrom === 'http' ? http.codes : codes('task', taskSpec.codes ?? {}),
        codesFrom: taskSpec.codesFrom ?? null,
        examples: layerExamples('task', taskSpec.examples, taskSpec.codes ?? {}),
        softFailures: softFailures(file, 'task', taskSpec.softFailures),
        states: STATUS_CLASSES.flatMap((state) => (taskSpec.status[state] ?? []).map((value) => [String(value), state] as const)),
        absent: taskSpec.status.absent === undefined ? null : String(taskSpec.status.absent),
        progressScale: taskSpec.progressScale ?? 100,
        httpStates: Object.entries(taskSpec.status.http ?? {}).map(([status, state]) => [Number(status), state] as const),
        pollAfter: (taskSpec.poll.after ?? []).map(waitPlace),
        taskId: toList(taskSpec.fields.taskId).map(toPath),
        progress: taskSpec.fields.progress === undefined ? null : toPath(taskSpec.fields.progress),
        submitTaskId: sourced(taskSpec.submit, toList(taskSpec.submit.taskId).map(toPath)),
        poll: sourced(taskSpec.poll, {
          intervalMs: taskSpec.poll.intervalMs,
          growth: taskSpec.poll.growth ?? 1,
          maxIntervalMs: taskSpec.poll.maxIntervalMs ?? taskSpec.poll.intervalMs,
          timeoutMs: taskSpec.poll.timeoutMs,
          eta: taskSpec.poll.eta === undefined ? null : toPath(taskSpec.poll.eta),
        }),
        result: taskSpec.result === undefined ? null : sourced(taskSpec.result, toPath(taskSpec.result.url)),
      }
    : null;

  return {
    id: spec.provider,
    name: spec.name,
    file: file.name,
    sources: Object.entries(spec.sources).map(([key, s]) => ({ key, document: s.document, title: s.title ?? null })),
    retryDefaults: defaults ? partialRule(defaults) : null,
    networkRetryDefaults: networkDefaults ? partialRule(networkDefaults) : null,
    idempotencyHeader: idempotency?.name === undefined ? null : sourced(idempotency, idempotency.name),
    noIdempotencyKey: idempotency?.none === true ? sourced(idempotency, true) : null,
    requestHeaders: (spec.sending?.headers ?? []).map((header) => ({ ...sourced(header, header.value), name: header.name })),
    concurrency: spec.sending?.concurrency ? sourced(spec.sending.concurrency, spec.sending.concurrency.limit) : null,
    http,
    statuses,
    sdkElsewhere: httpSpec.sdk ?? null,
    task,
    requestId: httpSpec.fields.requestId === undefined ? DEFAULT_REQUEST_ID : toList(httpSpec.fields.requestId).map(toPlace),
    retryAfter:
      httpSpec.retryAfter === undefined
        ? DEFAULT_RETRY_AFTER
        : httpSpec.retryAfter.map(waitPlace),
    verdicts: (httpSpec.verdicts ?? []).map((verdict, i) => ({
      at: file.locate(['layers', 'http', 'verdicts', i, 'header']),
      header: verdict.header,
      values: Object.entries(verdict.values).map(([value, decides]) => [value.trim().toLowerCase(), { retryable: decides.retryable, action: decides.action ?? null }] as const),
      source: verdict.source,
      note: verdict.note ?? null,
    })),
  };
}

function overridesOutcome(spec: OutcomeSpec): boolean {
  return ['category', 'action', 'retryable', 'retry', 'suggestion', 'unprocessed'].some((key) => key in spec);
}

function sourced<T>(spec: { readonly source: string; readonly note?: string }, value: T): SourcedModel<T> {
  return { value, source: spec.source, note: spec.note ?? null };
}

function fieldsOf(fields: FieldsSpec | TaskFieldsSpec, status?: string): { fields: FieldPaths; codePlaces: readonly Place[] } {
  const list = (paths: string | readonly string[] | undefined): readonly FieldPath[] => toList(paths).map(toPath);
  const codePlaces = toList(fields.code).map(toPlace);
  return {
    fields: {
      code: codePlaces.flatMap((place) => ('path' in place ? [place.path] : [])),
      message: list(fields.message),
      param: list(fields.param),
      suggestion: list(fields.suggestion),
      subtype: list(fields.subtype),
      status: status === undefined ? null : toPath(status),
    },
    codePlaces,
  };
}

/** A field path the semantic checks have parsed already; a bad one cannot reach the model. */
function toPath(text: string): FieldPath {
  const place = toPlace(text);
  if (!('path' in place)) throw new Error(`internal error: "${text}" reached the model as a field path`);
  return place.path;
}

function toPlace(text: string): Place {
  const parsed = parsePlace(text);
  if ('problem' in parsed) throw new Error(`internal error: "${text}" reached the model: ${parsed.problem}`);
  return parsed.place;
}

function softFailures(file: LoadedFile, layer: 'http' | 'task', rules: readonly SoftFailureSpec[] | undefined): SoftFailureModel[] {
  return (rules ?? []).map((rule, i) => ({
    at: file.locate(['layers', layer, 'softFailures', i]),
    when: toList(rule.when).map((condition) => ({
      place: toPlace(condition.at),
      test: condition.is !== undefined ? { is: condition.is.map(String) } : condition.above !== undefined ? { above: condition.above } : { empty: condition.empty === true },
    })),
    code: rule.code ?? null,
    message: rule.message === undefined ? null : toPath(rule.message),
    source: rule.source,
    note: rule.note ?? null,
  }));
}

function waitPlace(wait: WaitPlaceSpec): WaitPlaceModel {
  return { place: toPlace(wait.at), format: wait.format, pattern: wait.pattern ?? null, note: wait.note ?? null };
}

function toList<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}
