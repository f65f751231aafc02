/**
 * Classifying HTTP responses and failed tasks. Total by construction: every read of caller data
 * is guarded, and anything unreadable degrades to the status, then to the canonical fallback.
 */
import { asIdentifier, asText, NO_BODY, NO_FIELDS, NOT_JSON, parseBody, readFieldPaths, UNREAD } from './body.js';
import { readBody, type BodyRead, type FetchBodyOptions } from './fetch-body.js';
import { headerText, NO_HEADERS, readHeaderValues } from './headers.js';
import { statusKey, taskClass } from './task-status.js';
import { categoryOutcome, codeEntry, fallbackOutcome, isCodeEntry, matchSubtype, statusOutcome } from './outcome.js';
import type {
  ClassifiedErrorOf,
  CodeEntry,
  HeaderReading,
  HeaderValues,
  HttpTable,
  LayerTable,
  Loose,
  Outcome,
  RawFields,
  ResponseTable,
  TaskClassifyingTable,
  TaskTable,
  TaxonomyTable,
  Vocabulary,
} from './types.js';

/** What a body says, read once. */
interface Reading<V extends Vocabulary> {
  readonly conforms: boolean;
  readonly code: string | null;
  readonly entry: CodeEntry<V> | undefined;
  readonly message: string | null;
  readonly param: string | null;
  readonly suggestion: string | null;
  readonly subtype: string | null;
  readonly status: unknown;
}

const NOTHING: Reading<Vocabulary> = {
  conforms: false,
  code: null,
  entry: undefined,
  message: null,
  param: null,
  suggestion: null,
  subtype: null,
  status: undefined,
};

export function classifyHttp<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  table: ResponseTable<V>,
  response: unknown,
): ClassifiedErrorOf<V> {
  let status: unknown;
  let headers: unknown;
  let body: unknown;
  try {
    const r = response as { status?: unknown; headers?: unknown; body?: unknown };
    status = r.status;
    headers = r.headers;
    body = r.body;
  } catch {
    // An unreadable response is classified from whatever was read before the failure.
  }
  return classifyParts(taxonomy, table, status, headers, body);
}

/** Reads a fetch Response's body (at most 1 MiB, within a time limit), then classifies it; never rejects. */
export async function classifyFetchResponse<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  table: ResponseTable<V>,
  response: unknown,
  options?: FetchBodyOptions,
): Promise<ClassifiedErrorOf<V>> {
  return classifyRead(taxonomy, table, head(response), await readBody(response, options));
}

/** A response's status and headers, whatever the object throws: classified from what could be read. */
function head(response: unknown): { status: unknown; headers: unknown } {
  let status: unknown;
  let headers: unknown;
  try {
    const r = response as { status?: unknown; headers?: unknown };
    status = r.status;
    headers = r.headers;
  } catch {
    // As in classifyHttp.
  }
  return { status, headers };
}

/** Classifies a response whose body has been read already (by readBody). */
export function classifyRead<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  table: ResponseTable<V>,
  response: { readonly status: unknown; readonly headers: unknown },
  read: BodyRead,
): ClassifiedErrorOf<V> {
  return classifyParts(taxonomy, table, response.status, response.headers, read.body, read.unread);
}

/** `unread` says why the body could not be read, when it could not. */
function classifyParts<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  table: ResponseTable<V>,
  rawStatus: unknown,
  headers: unknown,
  rawBody: unknown,
  unread: string | null = null,
): ClassifiedErrorOf<V> {
  const status = toStatus(rawStatus);
  const body = safeParse(rawBody);
  const { http } = table;
  // A provider that reads only the usual headers has no plan: its table's hint reader reads them itself.
  const plan = http.headers;
  const values = plan === null ? null : readHeaderValues(headers, plan);
  let reading = readLayer(http, body, values === null ? null : codeHeaderValues(http, values));
  // A success that says it failed (finish-reason: CONTENT_FILTERED) is the failure it names.
  if (http.softFailures && reading.entry === undefined && status !== null && status >= 200 && status <= 299) reading = withSoftFailure(http, reading, body, headers);
  // A status that stands for a code tells its sub-types apart by the message too (a 429 of a daily quota).
  const byStatus = reading.entry === undefined ? statusOutcome(http, status) : undefined;
  const entry = reading.entry ?? (byStatus !== undefined && isCodeEntry(byStatus) ? byStatus : undefined);
  const matched = entry ? matchSubtype(entry, reading.message) : null;
  const outcome =
    matched?.outcome ??
    reading.entry ??
    byStatus ??
    fallbackOutcome(taxonomy, status);
  const hints = http.hints(headers, values, http as HttpTable<Vocabulary>, body);
  const result = build(table.id, 'http', status, reading, outcome, matched?.id ?? reading.subtype, hints);
  if (values !== null && http.verdicts.length > 0) applyVerdict(taxonomy, http, values, outcome, result);
  if (reading.message === null) {
    const why = unread ?? (body === UNREAD ? CANNOT_READ_HERE : null);
    if (why !== null) result.message = `${outcome.description} (The response body was not read: ${why}.)`;
    else if (status !== null && status < 400 && reading.entry === undefined) result.message = notAFailure(status);
  }
  return result;
}

/**
 * A response that looks like a success: null when it is one; its failure when it is not, a 2xx
 * whose content says it failed (a soft failure, or a declared code in its body) or any other
 * status, classified as classifyHttp does.
 */
export function classifySuccess<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  table: ResponseTable<V>,
  response: unknown,
): ClassifiedErrorOf<V> | null {
  const result = classifyHttp(taxonomy, table, response);
  return result.status !== null && result.status >= 200 && result.status <= 299 && !result.known ? null : result;
}

/** The reading of a success with the soft failure it shows, if any. */
function withSoftFailure<V extends Vocabulary>(layer: LayerTable<V>, reading: Reading<V>, body: unknown, headers: unknown): Reading<V> {
  const found = layer.softFailures?.find(layer, body, headers) ?? null;
  return found === null ? reading : { ...reading, code: found.code, entry: found.entry, message: found.message, subtype: null };
}

/** Why classifyResponse leaves a stream or a Blob alone: the caller should know why no code was found. */
const CANNOT_READ_HERE = 'it was a stream, a Blob or a Response, which only an await can read; pass its text, or use classifyFetchResponse';

/** A response below 400 carries no failure unless its body names a declared code. */
function notAFailure(status: number): string {
  return `HTTP ${status} is not a failure status; only failed responses are classified (check response.ok first).`;
}

/**
 * null unless the task has failed (or was cancelled). A body that cannot be read here (a fetch
 * Response, a stream) is never taken for success: it is classified by the taxonomy's fallback,
 * with a message saying why and what to pass instead.
 */
export function classifyTask<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  table: TaskClassifyingTable<V>,
  task: unknown,
): ClassifiedErrorOf<V> | null {
  const layer = table.task;
  if (!layer) return null;
  const body = safeParse(task);
  if (body === UNREAD) return unreadTask(taxonomy, table, CANNOT_READ_TASK_HERE);
  if (body === NO_BODY || body === NOT_JSON) return null;
  return classifyTaskBody(taxonomy, table, layer, body, null, undefined);
}

/**
 * A parsed task body's failure, or null. `httpStatus` and `headers` are the status response's
 * (null and undefined when unknown): the status decides where the task stands when the spec maps
 * it, and a soft failure may read the headers.
 */
export function classifyTaskBody<V extends Vocabulary>(taxonomy: TaxonomyTable<V>, table: ResponseTable<V>, layer: TaskTable<V>, body: unknown, httpStatus: number | null, headers: unknown): ClassifiedErrorOf<V> | null {
  let reading = readLayer(layer, body);
  const status = statusKey(layer, body, reading.status);
  const state = taskClass(layer, status, httpStatus);
  if (state === 'running' || state === 'queued') return null;
  // A code that is only the status itself (a spec that reads the status as the code) is no error.
  const quiet = (reading.code === null || reading.code === status) && reading.message === null;
  // A task that ended well may still say it failed (every video filtered out).
  if (state === 'completed' || (state === 'ended' && quiet)) {
    if (layer.softFailures === null) return null;
    reading = withSoftFailure(layer, reading, body, headers);
    if (reading.entry === undefined) return null;
  }

  // An undeclared status is a failure only when the body carries an error.
  if (state === undefined && quiet) return null;

  const matched = reading.entry ? matchSubtype(reading.entry, reading.message) : null;
  const outcome =
    matched?.outcome ??
    reading.entry ??
    categoryOutcome(taxonomy, state === 'cancelled' ? taxonomy.cancelled : taxonomy.statusFallback.otherwise);
  return build(table.id, 'task', null, reading, outcome, matched?.id ?? reading.subtype, NO_HEADERS);
}

/**
 * Reads the Response of a task-status request (at most 1 MiB, within a time limit) and classifies
 * it; never rejects. A failed status request (a 404 for an expired task) is the HTTP failure it
 * is; an ok one is the task body classifyTask reads, null unless the task has failed; anything
 * else (not JSON, cut off, a 3xx) is classified by the fallback, saying what it was.
 */
export async function classifyFetchTask<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  table: TaskClassifyingTable<V>,
  response: unknown,
  options?: FetchBodyOptions,
): Promise<ClassifiedErrorOf<V> | null> {
  return classifyTaskRead(taxonomy, table, head(response), await readBody(response, options));
}

/** Classifies a task-status response whose body has been read already (by readBody), as classifyFetchTask does. */
export function classifyTaskRead<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  table: TaskClassifyingTable<V>,
  { status, headers }: { readonly status: unknown; readonly headers: unknown },
  read: BodyRead,
): ClassifiedErrorOf<V> | null {
  const code = toStatus(status);
  if (code !== null && code >= 400) return classifyRead(taxonomy, table, { status, headers }, read);
  if (!table.task) return null;
  // A status request answered with anything but a JSON task body says nothing of the task: never "not failed".
  if (read.unread !== null) return unreadTask(taxonomy, table, read.unread);
  if (code !== null && (code < 200 || code > 299)) return unreadTask(taxonomy, table, `its status was ${code}, not a task body's`);
  const body = safeParse(read.body);
  if (body === NOT_JSON || body === NO_BODY) {
    // A body that is not JSON (Stability's finished video) is a task's only where the status says it ended well.
    const byStatus = code === null ? undefined : table.task.httpStates.get(code);
    if (byStatus !== 'completed') return unreadTask(taxonomy, table, body === NO_BODY ? 'it was empty' : 'it was not JSON');
  }
  if (body === UNREAD) return unreadTask(taxonomy, table, CANNOT_READ_TASK_HERE);
  return classifyTaskBody(taxonomy, table, table.task, body, code, headers);
}

/** A task body that could not be read: not known to have failed, nor to have succeeded. */
function unreadTask<V extends Vocabulary>(taxonomy: TaxonomyTable<V>, table: ResponseTable<V>, why: string): ClassifiedErrorOf<V> {
  const outcome = categoryOutcome(taxonomy, taxonomy.statusFallback.otherwise);
  const result = build(table.id, 'task', null, NOTHING as Reading<V>, outcome, null, NO_HEADERS);
  result.message = `${outcome.description} (The task body was not read: ${why}.)`;
  return result;
}

/** Why classifyTask leaves a Response alone: it must not read a failure as success. */
const CANNOT_READ_TASK_HERE = 'it was a stream, a Blob or a Response, which only an await can read; pass its parsed JSON, or use classifyFetchTask';

function build<V extends Vocabulary>(
  provider: V['provider'] | null,
  source: 'http' | 'task',
  status: number | null,
  reading: Reading<V>,
  outcome: Outcome<V>,
  subtype: string | null,
  headers: HeaderReading,
): ClassifiedErrorOf<V> {
  return {
    provider,
    source,
    status,
    code: reading.code,
    known: reading.entry !== undefined,
    conforms: reading.conforms,
    category: outcome.category,
    retryable: outcome.retryable,
    action: outcome.action,
    message: reading.message ?? outcome.description,
    param: reading.param,
    subtype,
    suggestion: reading.suggestion ?? outcome.suggestion,
    retryAfterMs: headers.retryAfterMs,
    requestId: headers.requestId,
  };
}

/**
 * What a verdict header says over the code and status (`x-should-retry: false`): the first present
 * with a listed value decides. It makes any failure final; it makes retryable only a failure that
 * has a retry rule to wait by, its own or its category's.
 */
function applyVerdict<V extends Vocabulary>(taxonomy: TaxonomyTable<V>, http: HttpTable<V>, values: NonNullable<HeaderValues>, outcome: Outcome<V>, result: ClassifiedErrorOf<V>): void {
  for (const verdict of http.verdicts) {
    const decides = verdict.values.get(headerText(values, verdict.header)?.toLowerCase() ?? '');
    if (decides === undefined) continue;
    if (!decides.retryable || (outcome.retry ?? categoryOutcome(taxonomy, outcome.category).retry) !== null) result.retryable = decides.retryable;
    if (decides.action !== null) result.action = decides.action;
    return;
  }
}

/** The code candidates a response's headers hold, each with its place among the body's; null for most providers. */
function codeHeaderValues<V extends Vocabulary>(layer: HttpTable<V>, values: NonNullable<HeaderValues>): readonly { at: number; value: unknown }[] | null {
  if (layer.codeHeaders.length === 0) return null;
  return layer.codeHeaders.map(({ header, at }) => ({ at, value: headerText(values, header) }));
}

/**
 * `body` is a parsed value, or NO_BODY, NOT_JSON or UNREAD. `fromHeaders`: code candidates from
 * the response's headers, which count even when the body cannot be read.
 */
function readLayer<V extends Vocabulary>(layer: LayerTable<V>, body: unknown, fromHeaders: readonly { at: number; value: unknown }[] | null = null): Reading<V> {
  const readable = body !== NO_BODY && body !== NOT_JSON && body !== UNREAD;
  if (!readable && fromHeaders === null) return NOTHING as Reading<V>;
  let conforms = false;
  let fields = NO_FIELDS;
  if (readable) {
    try {
      conforms = layer.conforms(body);
    } catch {
      conforms = false;
    }
    try {
      fields = layer.read(body as Loose);
    } catch {
      fields = readFieldPaths(layer.paths, body);
    }
  }
  try {
    // The first candidate that is a declared code; else the first identifier present.
    let first = fields.code;
    let rest = fields.codeFallbacks;
    if (fromHeaders !== null) [first, ...rest] = withHeaders(fields, fromHeaders);
    let code = asIdentifier(first);
    let entry = code === null ? undefined : codeEntry(layer, code);
    if (entry === undefined && rest !== undefined) {
      for (const candidate of rest) {
        const id = asIdentifier(candidate);
        if (id === null) continue;
        entry = codeEntry(layer, id);
        if (entry) {
          code = id;
          break;
        }
        code ??= id;
      }
    }
    return {
      conforms,
      code,
      entry,
      message: asText(fields.message),
      param: asText(fields.param),
      suggestion: asText(fields.suggestion),
      subtype: asText(fields.subtype),
      status: fields.status,
    };
  } catch {
    return { ...(NOTHING as Reading<V>), conforms };
  }
}


/** The body's code candidates with the headers' put in their places. */
function withHeaders(fields: RawFields, fromHeaders: readonly { at: number; value: unknown }[]): unknown[] {
  const merged = [fields.code, ...(fields.codeFallbacks ?? [])];
  for (const { at, value } of fromHeaders) merged.splice(at, 0, value);
  return merged;
}

/**
 * The body parsed, or NOT_JSON for text that is not JSON; never throws. A hostile value (a proxy
 * that throws on `instanceof`) counts as a body that is not JSON.
 */
export function safeParse(raw: unknown): unknown {
  try {
    return parseBody(raw);
  } catch {
    return NOT_JSON;
  }
}

/** An integer status in 100-599 (numbers or numeric strings); anything else is null. */
function toStatus(value: unknown): number | null {
  const status = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599 ? status : null;
}
