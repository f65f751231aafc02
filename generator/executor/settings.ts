/**
 * The options of a call, checked and defaulted once, before anything is sent. A bad option is a
 * usage error: a TypeError, the one rejection that is not a ProviderError.
 */
import { isLimiter } from '../runtime/limiter-options.js';
import { requireRandomIds } from './random-id.js';
import { rejectUnknownKeys } from '../runtime/options.js';
import type { Limiter } from '../runtime/limiter-options.js';
import type { PollCadence, ProviderTable, TaskTable, Vocabulary } from '../runtime/types.js';
import type { TaskStateOf } from '../runtime/types.js';
import type { ExecutorContext, LeaseEvent, PollOptions, RetryCallOptions, RetryEvent, RunTaskOptions, Sleep } from './types.js';

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface RetrySettings<V extends Vocabulary> {
  readonly signal: AbortSignal | null;
  /** Requests one call sends at most, before the spec's own limit. */
  readonly maxAttempts: number;
  /** The longest single wait the caller accepts; Infinity when it did not say. */
  readonly maxDelayMs: number;
  readonly attemptTimeoutMs: number | null;
  readonly deadlineMs: number | null;
  /** The key to send, false for none, undefined for a fresh one per call. */
  readonly idempotencyKey: string | false | undefined;
  readonly retryUnsafe: boolean;
  readonly onRetry: ((event: RetryEvent<V>) => void) | null;
  readonly random: (() => number) | undefined;
  /** The caller's sleep; null for the call's own timers. */
  readonly sleep: Sleep | null;
  readonly fetch: Fetch;
  readonly limiter: Limiter | null;
}

export interface PollSettings<V extends Vocabulary> extends RetrySettings<V> {
  readonly cadence: PollCadence;
  readonly onProgress: ((state: TaskStateOf<V>) => void) | null;
}

export interface RunTaskSettings<V extends Vocabulary> extends PollSettings<V> {
  readonly maxSubmits: number;
  readonly onLease: ((event: LeaseEvent<V>) => void) | null;
}

/** The shortest wait between two status requests; the spec's cadences are held to it too. */
export const MIN_POLL_INTERVAL_MS = 100;

const RETRY_KEYS = ['signal', 'maxAttempts', 'maxDelayMs', 'attemptTimeoutMs', 'deadlineMs', 'idempotencyKey', 'retryUnsafe', 'onRetry', 'random', 'sleep', 'limiter', 'fetch'];
const POLL_KEYS = [...RETRY_KEYS, 'intervalMs', 'maxIntervalMs', 'timeoutMs', 'onProgress'];
const RUN_KEYS = [...POLL_KEYS, 'maxSubmits', 'onLease'];

/** The provider's table, or a usage error for an id the spec does not know. */
export function tableOf<V extends Vocabulary>(context: ExecutorContext<V>, provider: unknown): ProviderTable<V> {
  const table = typeof provider === 'string' ? context.tables.get(provider as V['provider']) : undefined;
  if (!table) throw new TypeError(`unknown provider ${describe(provider)}; the spec declares ${[...context.tables.keys()].join(', ')}`);
  return table;
}

/** The provider's task layer, or a usage error. */
export function taskTableOf<V extends Vocabulary>(table: ProviderTable<V>): TaskTable<V> {
  if (!table.task) throw new TypeError(`the spec declares no task layer for ${table.id}: it has no tasks to poll`);
  return table.task;
}

export function retrySettings<V extends Vocabulary>(options: unknown, table: ProviderTable<V>, keys: readonly string[] = RETRY_KEYS): RetrySettings<V> {
  const o = optionsObject<RetryCallOptions<V>>(options, keys);
  const idempotencyKey = o.idempotencyKey;
  if (idempotencyKey !== undefined) {
    if (idempotencyKey !== false && (typeof idempotencyKey !== 'string' || idempotencyKey === '')) {
      throw new TypeError('idempotencyKey must be a non-empty string, or false to send none');
    }
    if (table.idempotencyHeader === null) {
      throw new TypeError(`idempotencyKey: the spec declares no idempotency header for ${table.id}, so a key would prove nothing and make no resend safe`);
    }
  }
  const fetchFn = o.fetch ?? (typeof fetch === 'function' ? fetch : undefined);
  if (typeof fetchFn !== 'function') throw new TypeError('no fetch: pass options.fetch, or run where fetch is global (Node 20 and later)');
  const limiter = limiterOption(o.limiter);
  // Idempotency keys and permit holders are random ids.
  if (table.idempotencyHeader !== null || limiter !== null) requireRandomIds();
  return {
    signal: signalOption(o.signal, 'signal'),
    maxAttempts: o.maxAttempts === undefined ? Infinity : count(o.maxAttempts, 'maxAttempts'),
    maxDelayMs: duration(o.maxDelayMs, 'maxDelayMs') ?? Infinity,
    attemptTimeoutMs: duration(o.attemptTimeoutMs, 'attemptTimeoutMs'),
    deadlineMs: duration(o.deadlineMs, 'deadlineMs'),
    idempotencyKey,
    retryUnsafe: flag(o.retryUnsafe, 'retryUnsafe'),
    onRetry: fn(o.onRetry, 'onRetry'),
    random: fn(o.random, 'random') ?? undefined,
    sleep: fn(o.sleep, 'sleep'),
    fetch: fetchFn as Fetch,
    limiter,
  };
}

export function pollSettings<V extends Vocabulary>(options: unknown, table: ProviderTable<V>, keys: readonly string[] = POLL_KEYS): PollSettings<V> {
  const task = taskTableOf(table);
  const o = optionsObject<PollOptions<V>>(options, keys);
  const intervalMs = pollInterval(o.intervalMs, 'intervalMs') ?? task.poll.intervalMs;
  const maxIntervalMs = pollInterval(o.maxIntervalMs, 'maxIntervalMs') ?? Math.max(task.poll.maxIntervalMs, intervalMs);
  if (maxIntervalMs < intervalMs) throw new TypeError(`maxIntervalMs (${maxIntervalMs}) is below intervalMs (${intervalMs})`);
  const cadence: PollCadence = {
    intervalMs,
    growth: task.poll.growth,
    maxIntervalMs,
    timeoutMs: duration(o.timeoutMs, 'timeoutMs') ?? task.poll.timeoutMs,
    eta: task.poll.eta,
  };
  // Added to the retry settings rather than spread into a new object: V8 gives every `{ ...a, b }`
  // a hidden class of its own, which a poll would hold for its whole life.
  return Object.assign(retrySettings<V>(options, table, keys), { cadence, onProgress: fn(o.onProgress, 'onProgress') });
}

export function runTaskSettings<V extends Vocabulary>(options: unknown, table: ProviderTable<V>): RunTaskSettings<V> {
  const o = optionsObject<RunTaskOptions<V>>(options, RUN_KEYS);
  return Object.assign(pollSettings<V>(options, table, RUN_KEYS), {
    maxSubmits: o.maxSubmits === undefined ? Infinity : count(o.maxSubmits, 'maxSubmits'),
    onLease: fn(o.onLease, 'onLease'),
  });
}

function optionsObject<T>(options: unknown, keys: readonly string[]): Partial<T> {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw new TypeError(`options must be an object, not ${describe(options)}`);
  rejectUnknownKeys(options, keys);
  return options as Partial<T>;
}

function limiterOption(value: unknown): Limiter | null {
  if (value === undefined) return null;
  if (!isLimiter(value)) throw new TypeError('limiter must come from createLimiter()');
  return value;
}

function signalOption(value: unknown, name: string): AbortSignal | null {
  if (value === undefined) return null;
  const s = value as { aborted?: unknown; addEventListener?: unknown };
  if (typeof value !== 'object' || value === null || typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function') {
    throw new TypeError(`${name} must be an AbortSignal`);
  }
  return value as AbortSignal;
}

function count(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new TypeError(`${name} must be an integer of at least 1, not ${describe(value)}`);
  return value;
}

function duration(value: unknown, name: string): number | null {
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a number of milliseconds, 0 or more, not ${describe(value)}`);
  return value;
}

/**
 * A poll interval: at least MIN_POLL_INTERVAL_MS, so that no setting polls in a tight loop. A test
 * that wants faster polls passes a `sleep` that shortens every wait instead.
 */
function pollInterval(value: unknown, name: string): number | null {
  const ms = duration(value, name);
  if (ms !== null && ms < MIN_POLL_INTERVAL_MS) throw new TypeError(`${name} must be at least ${MIN_POLL_INTERVAL_MS} ms, not ${ms}: a faster poll hammers the provider (to shorten waits in a test, pass a sleep)`);
  return ms;
}

function flag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be true or false`);
  return value;
}

function fn<F>(value: F | undefined, name: string): F | null {
  if (value === undefined) return null;
  if (typeof value !== 'function') throw new TypeError(`${name} must be a function`);
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
