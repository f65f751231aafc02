/**
 * The data the classifiers run on. errspec compiles each provider's spec into these tables; the
 * functions in this folder read them. Nothing here knows a provider, so the same code serves every
 * provider and the generator's own example checks.
 *
 * `V` carries the spec's vocabulary (provider ids, categories, actions) as literal unions, so the
 * package's public types stay precise while this code stays generic.
 */

export interface Vocabulary {
  readonly provider: string;
  readonly category: string;
  readonly action: string;
}

export interface ClassifiedErrorOf<V extends Vocabulary> {
  /** null only for an exception classified without a provider. */
  provider: V['provider'] | null;
  source: 'http' | 'task' | 'network';
  /** The HTTP status, when there was a response. */
  status: number | null;
  /** The provider's own error identifier as received; null when none was found. */
  code: string | null;
  /** The identifier is declared in the spec for this provider and layer. */
  known: boolean;
  /** A body was present and matched the provider's declared envelope schema. */
  conforms: boolean;
  category: V['category'];
  /** Sending the same request again, unchanged, may succeed. */
  retryable: boolean;
  /** What the caller should do next. */
  action: V['action'];
  /** The body's message when present, else the spec's description. */
  message: string;
  /** The offending parameter, when the body names one. */
  param: string | null;
  /** A finer reason, e.g. which content-policy rule. */
  subtype: string | null;
  /** The body's own suggestion when present, else the spec's. */
  suggestion: string | null;
  /** The server's retry hint from the response headers, in milliseconds. */
  retryAfterMs: number | null;
  /** The provider's request id header (x-request-id, request-id), when sent. */
  requestId: string | null;
}

/** How long to wait before each retry, and how many retries to allow. Delays in milliseconds. */
export interface RetryRule {
  /** `exponential` doubles `baseMs` with each attempt; `constant` always waits `baseMs`. */
  readonly strategy: 'exponential' | 'constant';
  readonly baseMs: number;
  /** The largest delay the rule itself produces. */
  readonly maxMs: number;
  /** Requests sent at most, the first included (as fetchWithRetry's maxAttempts counts): retries, one fewer. */
  readonly maxAttempts: number;
  /** A wait the provider states; jitter only adds to it. */
  readonly minWaitMs: number;
  /** Up to this fraction of the delay is added at random. */
  readonly jitter: number;
  /** `Retry-After` hints up to this long are honoured in full. */
  readonly retryAfterCapMs: number;
  /** A longer hint is capped to `retryAfterCapMs` (`cap`) or ends retrying (`stop`). */
  readonly overCap: 'cap' | 'stop';
}

/** What a code, a sub-type, a status or a category means for the caller. */
export interface Outcome<V extends Vocabulary> {
  readonly category: V['category'];
  readonly action: V['action'];
  readonly retryable: boolean;
  /** null when not retryable. */
  readonly retry: RetryRule | null;
  readonly description: string;
  readonly suggestion: string | null;
  /** The failure proves the request was not processed, so even a POST may be sent again. */
  readonly unprocessed: boolean;
}

export interface Subtype<V extends Vocabulary> {
  readonly id: string;
  /** Lower-case substrings of the message; any one matches. */
  readonly contains: readonly string[];
  /** A case-insensitive pattern, checked at generate time to run in linear time. */
  readonly pattern: RegExp | null;
  /** null when the sub-type means the same as its code. */
  readonly outcome: Outcome<V> | null;
}

export interface CodeEntry<V extends Vocabulary> extends Outcome<V> {
  /** Tried in order; the first match names the sub-type. */
  readonly subtypes: readonly Subtype<V>[];
}

/**
 * One step of a path into a parsed body: a property; an array's element by index; or the first
 * element of an array (an object) whose `key` holds exactly `equals`, as Google's error details
 * are told apart by their `@type`.
 */
export type PathStep = string | number | { readonly key: string; readonly equals: string };

/** A path into a parsed body (`error.details[@type=…ErrorInfo].reason`). */
export type FieldPath = readonly PathStep[];

/** Where a value is read: a path into the parsed body, or a response header (its name, any case). */
export type Place = { readonly path: FieldPath } | { readonly header: string };

/** Paths into a parsed body. */
export interface FieldPaths {
  /** Candidates for the identifier: the first holding a declared code wins. */
  readonly code: readonly FieldPath[];
  /** Each of these, tried in order: the first non-empty text wins (errors of several shapes). Empty: none. */
  readonly message: readonly FieldPath[];
  readonly param: readonly FieldPath[];
  readonly suggestion: readonly FieldPath[];
  readonly subtype: readonly FieldPath[];
  /** The task status (task layers only). */
  readonly status: FieldPath | null;
}

/** Checks a parsed body against the provider's declared envelope. */
export type EnvelopeCheck = (data: unknown) => boolean;

/** A parsed body as a field reader sees it: any property may be missing. */
export type Loose = { readonly [key: string]: Loose } | null | undefined;

/** The raw values at a layer's field paths, not yet checked for type. */
export interface RawFields {
  /** The first identifier candidate. */
  readonly code: unknown;
  /** Further candidates, in order; undefined for the usual single identifier. */
  readonly codeFallbacks: readonly unknown[] | undefined;
  readonly message: unknown;
  readonly param: unknown;
  readonly suggestion: unknown;
  readonly subtype: unknown;
  /** The task status (task layers only). */
  readonly status: unknown;
}

/**
 * Reads a layer's fields with plain property access, generated per layer so each read is a
 * direct property load. Field paths never name an Object.prototype member (the generator rejects
 * them), so a parsed body cannot reach the prototype chain.
 */
export type FieldReader = (body: Loose) => RawFields;

export interface LayerTable<V extends Vocabulary> {
  readonly conforms: EnvelopeCheck;
  readonly read: FieldReader;
  /** The same fields as paths, read one at a time when a hostile body makes `read` throw. */
  readonly paths: FieldPaths;
  readonly codes: ReadonlyMap<string, CodeEntry<V>>;
  /**
   * Codes declared as prefixes of dotted hierarchical codes (`SAFETY.INPUT.*`), longest first: a
   * code with no entry of its own takes the longest that it starts with. Empty for most providers.
   */
  readonly prefixes: readonly string[];
  /** Failures inside a success (a 2xx response, a completed task); null for most providers. */
  readonly softFailures: SoftFailures | null;
}

/**
 * A layer's soft failures: rules tried in order, the first whose conditions all hold names the
 * failure; `headers`, the response headers their conditions read (null when none does).
 */
export interface SoftFailures {
  readonly headers: HeaderPlan | null;
  readonly rules: readonly SoftFailure[];
  /**
   * What finds the first rule a success meets (softFailureOf). A table names it where it has soft
   * failures, so that a bundle of tables without any leaves it out.
   */
  readonly find: <V extends Vocabulary>(layer: LayerTable<V>, body: unknown, headers: unknown) => SoftFailureFound<V> | null;
}

/** A soft failure found: its code as read, the code's entry, and the message the rule points at. */
export interface SoftFailureFound<V extends Vocabulary> {
  readonly code: string;
  readonly entry: CodeEntry<V>;
  readonly message: string | null;
}

export interface SoftFailure {
  /** Every one must hold. */
  readonly when: readonly Condition[];
  /** The code the failure is; null: the value the first condition read is the code. */
  readonly code: string | null;
  /** Where the failure's message is in the body. */
  readonly message: FieldPath | null;
}

/**
 * A test of one value, a header's (its index in `SoftFailures.headers.names`) or a body path's:
 * `is` one of these values (as text: `true` and "true" are one), `above` a number, or `empty`
 * (absent, null, blank, [] or {}) or not.
 */
export type Condition = ({ readonly header: number } | { readonly path: FieldPath }) &
  ({ readonly is: ReadonlySet<string> } | { readonly above: number } | { readonly empty: boolean });

export interface HttpTable<V extends Vocabulary> extends LayerTable<V> {
  /** The provider's own status table: an outcome, or the code whose outcome the status implies. */
  readonly statuses: ReadonlyMap<number, Outcome<V> | string>;
  /**
   * The response headers the classification reads; null for the usual ones (the retry hints, and
   * the request id in `x-request-id` or `request-id`), which a reader tuned for them reads.
   */
  readonly headers: HeaderPlan | null;
  /**
   * Reads the stated wait and the request id: the runtime's readUsualHeaders for a layer without
   * a plan, readDeclaredHints for one with. The table names it, so that a bundle keeps only the
   * readers its tables use.
   */
  readonly hints: HintReader;
  /**
   * Headers that are code candidates too (their index in `headers.names`), each at its place among
   * the body's candidates: `at` 2 comes after `paths.code[1]`. Empty for most providers.
   */
  readonly codeHeaders: readonly { readonly header: number; readonly at: number }[];
  /**
   * Where the request id is read, in the spec's order: headers (their index in `headers.names`) and
   * body paths. The first non-empty wins.
   */
  readonly requestId: readonly ({ readonly header: number } | { readonly path: FieldPath })[] | null;
  /**
   * Headers whose value decides whether a failure is worth retrying (`x-should-retry`), over its
   * code and status: each header's index in `headers.names`, and its values (lower-case). The
   * first present with a listed value decides. Empty for most providers.
   */
  readonly verdicts: readonly { readonly header: number; readonly values: ReadonlyMap<string, { readonly retryable: boolean; readonly action: V['action'] | null }> }[];
  /**
   * Where the server states how long to wait, tried in order (the first that gives a wait wins):
   * a header (its index in `headers.names`) or a body path, in a named format, optionally picked
   * out of a text by a pattern. null for the usual `retry-after-ms`, then `Retry-After`.
   */
  readonly retryAfter: readonly RetryAfterPlace[] | null;
}

/** What the classifier reads of the headers (and, where the table says, the body). */
export interface HeaderReading {
  readonly retryAfterMs: number | null;
  readonly requestId: string | null;
}

/** The raw first values of a plan's headers, by index; null when none was there. */
export type HeaderValues = unknown[] | null;

/** `values` are the plan's headers as read (null without a plan); `body` is the parsed body. */
export type HintReader = (headers: unknown, values: HeaderValues, http: HttpTable<Vocabulary>, body: unknown) => HeaderReading;

/**
 * How a server writes a wait: `seconds` or `milliseconds` (a number or numeric text);
 * `http_retry_after` (delay-seconds or an HTTP-date); `duration` (Go's and protobuf's: `6m0s`,
 * `644ms`, `25.465784708s`); `timestamp` (an RFC 3339 instant); `epoch_seconds` (a Unix time).
 */
export type WaitFormat = 'seconds' | 'milliseconds' | 'http_retry_after' | 'duration' | 'timestamp' | 'epoch_seconds';

/** A place a status response states the next poll's wait: a response header (its name) or a body path. */
export type PollAfterPlace = ({ readonly header: string } | { readonly path: FieldPath }) & {
  readonly format: WaitFormat;
  readonly pattern: RegExp | null;
};

/** One place a stated wait is read, and how. */
export type RetryAfterPlace = ({ readonly header: number } | { readonly path: FieldPath }) & {
  readonly format: WaitFormat;
  /** Picks the wait out of a text (a message): its first group, else the whole match. */
  readonly pattern: RegExp | null;
};

/**
 * The response headers a provider's classification reads, and a filter that skips every other
 * header without lower-casing its name: most responses carry none, and then cost no allocation.
 */
export interface HeaderPlan {
  /** Lower-case; the retry hints first (`retry-after-ms`, `retry-after`). */
  readonly names: readonly string[];
  /** Bit n: some name is n characters long (32 and more share bit 31). */
  readonly lengths: number;
  /** Bit n: some name starts with the n-th letter of the alphabet, any case (anything else shares bit 31). */
  readonly firsts: number;
}

export type TaskStateKind = 'failed' | 'cancelled' | 'completed' | 'running';

/**
 * What a status value says: a TaskStateKind; `queued`, running but not started (Runway's
 * THROTTLED, fal's IN_QUEUE); or `ended`, which is failed when the body carries an error and
 * completed otherwise (Google's `done: true`).
 */
export type StatusClass = TaskStateKind | 'queued' | 'ended';

/** Where a task stands, read from its status body. */
export interface TaskStateOf<V extends Vocabulary = Vocabulary> {
  provider: V['provider'];
  taskId: string | null;
  state: TaskStateKind;
  /** The status as the provider spells it. */
  status: string;
  /** 0-100, when the provider reports it. */
  progress: number | null;
  body: unknown;
}

/** How often to ask for a task's status, and for how long. Times in milliseconds. */
export interface PollCadence {
  readonly intervalMs: number;
  /** Each wait is this many times the one before. */
  readonly growth: number;
  readonly maxIntervalMs: number;
  readonly timeoutMs: number;
  /** A field giving the seconds left, which the next wait follows (within the interval and its maximum). */
  readonly eta: FieldPath | null;
}

export interface TaskTable<V extends Vocabulary> extends LayerTable<V> {
  /** Each status value, as text (`true`, `3`), and its class. */
  readonly states: ReadonlyMap<string, StatusClass>;
  /** The status of a body without the status field that names a task; null: such a body is not a task's. */
  readonly absent: string | null;
  /** The progress value that means done (100 or 1); progress is reported from 0 to 100. */
  readonly progressScale: number;
  /**
   * Statuses of the status request itself that say where the task stands, over its body (fal and
   * Stability answer 202 while a task runs, 200 once done). Empty for most providers.
   */
  readonly httpStates: ReadonlyMap<number, StatusClass>;
  /** Where a status response states the wait before the next status request (`openai-poll-after-ms`), tried in order. */
  readonly pollAfter: readonly PollAfterPlace[];
  /** Where the task id sits in the status body: the first path holding one wins. */
  readonly taskId: readonly FieldPath[];
  /** Where progress sits in the status body, on the scale of progressScale. */
  readonly progress: FieldPath | null;
  /** Where the new task's id sits in the submit response. */
  readonly submitTaskId: readonly FieldPath[];
  readonly poll: PollCadence;
  /**
   * Where a completed task's body gives the URL its result is fetched from (fal's `response_url`),
   * a fetch that can itself fail with the model's error; null when the body is the result.
   */
  readonly result: FieldPath | null;
}

/**
 * What classifying a response reads of a provider's table: its id and HTTP layer. A bundle that
 * only classifies responses keeps this much, and none of the task layer.
 */
export interface ResponseTable<V extends Vocabulary> {
  /** null for a provider the package does not know (UNKNOWN_PROVIDER). */
  readonly id: V['provider'] | null;
  readonly http: HttpTable<V>;
}

/**
 * What classifying a task reads: a provider's table, or a response table (UNKNOWN_PROVIDER's), which
 * has no task layer: its tasks are never failed, its failed status requests are HTTP failures.
 */
export type TaskClassifyingTable<V extends Vocabulary> = ResponseTable<V> & { readonly task?: TaskTable<V> | null };

export interface ProviderTable<V extends Vocabulary> {
  readonly id: V['provider'];
  readonly http: HttpTable<V>;
  /** null for a provider without async tasks. */
  readonly task: TaskTable<V> | null;
  /** Headers every request carries (name, value), unless the caller's request sets them; empty for most providers. */
  readonly requestHeaders: readonly (readonly [string, string])[];
  /** Provider-wide retry settings, applied over the taxonomy's rules for undeclared codes. */
  readonly retryDefaults: Partial<RetryRule> | null;
  /** The same for network errors (no response arrived), which otherwise keep the taxonomy's rules. */
  readonly networkRetryDefaults: Partial<RetryRule> | null;
  /** The request header the provider honours to recognise a resent request, if it documents one. */
  readonly idempotencyHeader: string | null;
  /** The documented number of generations an account may run at once. */
  readonly concurrency: number | null;
}

export interface TaxonomyTable<V extends Vocabulary> {
  /** Every category's default outcome. */
  readonly categories: ReadonlyMap<V['category'], Outcome<V>>;
  readonly statusFallback: {
    readonly exact: ReadonlyMap<number, V['category']>;
    /** Keyed by the status class: 4 for 4xx. */
    readonly ranges: ReadonlyMap<number, V['category']>;
    readonly otherwise: V['category'];
  };
  /** The category of a task reported as cancelled. */
  readonly cancelled: V['category'];
}

/**
 * How thrown values are recognised: by code, by name, then by message. A table of its own, so that
 * a bundle that never classifies a thrown value leaves it out.
 */
export interface NetworkTable<V extends Vocabulary> {
  /** Codes and names that prove no connection was made, so the request may be sent again. */
  readonly unprocessed: ReadonlySet<string>;
  readonly codes: ReadonlyMap<string, V['category']>;
  readonly names: ReadonlyMap<string, V['category']>;
  /** Lower-case message substrings. */
  readonly messages: readonly { readonly contains: string; readonly category: V['category'] }[];
}

/** What `classifyResponse` accepts. */
export interface HttpResponseLike {
  status: number;
  headers?: HeadersLike | undefined;
  /**
   * Raw text (JSON or not), bytes (decoded as UTF-8), an already-parsed value, or absent. A stream
   * or Blob cannot be read synchronously: it counts as absent, and the message says so.
   */
  body?: unknown;
  /**
   * Never set: it keeps a fetch `Response` from type-checking here, since its body is a stream.
   * Pass the Response to `classifyFetchResponse` instead.
   */
  bodyUsed?: never;
}

/**
 * Response headers in any common shape: a fetch `Headers`, a `Map`, `[name, value]` pairs, or a
 * plain record such as Node's `IncomingMessage.headers`. Names are matched case-insensitively.
 */
export type HeadersLike =
  | { get(name: string): unknown }
  | Iterable<readonly [string, unknown]>
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

export interface RetryOptions {
  /** A source of numbers in [0, 1) for jitter; Math.random by default. */
  random?: (() => number) | undefined;
}

/** One reason a body failed its envelope (a subset of ajv's ErrorObject). */
export interface ValidationError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A generated envelope validator: a type guard whose `errors` explain the last failure. */
export interface EnvelopeValidator<T> {
  (data: unknown): data is T;
  errors?: ValidationError[] | null;
}
