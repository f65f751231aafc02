/**
 * The executor's public types: the options of fetchWithRetry, pollTask and runTask, a task's
 * state, and what the executor needs to know of the spec. `V` carries the spec's vocabulary, as in
 * the classifier runtime.
 */
import type { Limiter } from '../runtime/limiter-options.js';
import type { ClassifiedErrorOf, NetworkTable, ProviderTable, TaskStateOf, TaxonomyTable, Vocabulary } from '../runtime/types.js';

/** The spec's tables, which every executor function reads. */
export interface ExecutorContext<V extends Vocabulary> {
  readonly taxonomy: TaxonomyTable<V>;
  readonly network: NetworkTable<V>;
  readonly tables: ReadonlyMap<V['provider'], ProviderTable<V>>;
}

export interface RetryEvent<V extends Vocabulary = Vocabulary> {
  /** 1 for the first retry, as in retryDelayMs. */
  attempt: number;
  delayMs: number;
  error: ClassifiedErrorOf<V>;
}

/**
 * How every wait happens; it should end early, rejecting, when `signal` aborts (a stop ends the
 * wait anyway). Whatever it resolves with is ignored, so `(ms) => new Promise((r) => setTimeout(r, ms))` will do.
 */
export type Sleep = (ms: number, signal: AbortSignal) => PromiseLike<unknown>;

export interface RetryCallOptions<V extends Vocabulary = Vocabulary> {
  /** Aborts the request in flight and any wait. */
  signal?: AbortSignal | undefined;
  /** Requests sent at most; can only lower what the spec's rules allow. */
  maxAttempts?: number | undefined;
  /**
   * No single retry or resubmit wait longer than this: when a rule or the server asks for longer,
   * the call gives up at once (`giveUp: 'max_delay'`) rather than retry early. Poll intervals are
   * the cadence's (intervalMs, maxIntervalMs), not bound by it.
   */
  maxDelayMs?: number | undefined;
  /** For each request; a request that takes longer is classified `timeout`. */
  attemptTimeoutMs?: number | undefined;
  /** For the whole call, waits included. */
  deadlineMs?: number | undefined;
  /** The idempotency key for a provider that declares an idempotency header; false: send none. */
  idempotencyKey?: string | false | undefined;
  /** Resend a request that is not idempotent even when nothing proves it was not processed. */
  retryUnsafe?: boolean | undefined;
  /** Called before each wait. */
  onRetry?: ((event: RetryEvent<V>) => void) | undefined;
  /** A source of numbers in [0, 1) for jitter; Math.random by default. */
  random?: (() => number) | undefined;
  /** How every wait happens (retry, poll, resubmit); an abortable timer by default. */
  sleep?: Sleep | undefined;
  /**
   * Limits shared with other calls (createLimiter): its retry budget for every call, and for
   * runTask a permit of the provider's concurrency, held from before the first submit to the end.
   */
  limiter?: Limiter | undefined;
  /** The transport; the global fetch by default. */
  fetch?: ((input: string | URL | Request, init?: RequestInit) => Promise<Response>) | undefined;
}

export interface PollOptions<V extends Vocabulary = Vocabulary> extends RetryCallOptions<V> {
  /** The wait between two status requests; default from the spec's poll cadence. */
  intervalMs?: number | undefined;
  /** The longest such wait; default from the spec. */
  maxIntervalMs?: number | undefined;
  /** For the whole poll; default from the spec. */
  timeoutMs?: number | undefined;
  /** Called on each change of status or progress. */
  onProgress?: ((state: TaskStateOf<V>) => void) | undefined;
}

export interface RunTaskOptions<V extends Vocabulary = Vocabulary> extends PollOptions<V> {
  /** Submits at most; can only lower what the spec's rules allow. */
  maxSubmits?: number | undefined;
  /** Called when a renewal of the call's permit finds its lease was not simply held (a shared store's leases). */
  onLease?: ((event: LeaseEvent<V>) => void) | undefined;
}

/**
 * What a renewal of a runTask call's permit found, when its lease was not simply held:
 * - `restored`: the store had lost its state (a flush, an empty restart); the permit is registered again;
 * - `reclaimed`: the lease had run out (this process paused, or could not reach the store), but nobody
 *   had taken the permit: it is held again;
 * - `overcommitted`: the lease had run out and the permit went to another call while this task may be
 *   running: the account may run one more than its limit until it ends, and nothing new is granted
 *   until it is back under;
 * - `lapsed`: the same, with nothing of this call running: it queues again before it submits.
 */
export interface LeaseEvent<V extends Vocabulary = Vocabulary> {
  provider: V['provider'];
  taskId: string | null;
  kind: 'restored' | 'reclaimed' | 'overcommitted' | 'lapsed';
}

/** What runTask sends: the request that creates a task, and the status request of a task id. */
export interface TaskRequest {
  submit: Request;
  poll: (taskId: string) => string | URL | Request;
}
