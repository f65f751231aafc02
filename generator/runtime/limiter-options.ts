/**
 * createLimiter and redisStore: what a caller makes once and shares, checked when it is made.
 * They hold settings only; the executor, loaded on the first call that needs it, keeps the
 * permits and the budget beside them. So the classifiers' import stays small, and a limiter can
 * be made before any call.
 */
import { rejectUnknownKeys } from './options.js';
import type { ProviderTable, Vocabulary } from './types.js';

/** Any Redis client with ioredis' `eval(script, numKeys, ...keysAndArgs)` or node-redis' `eval(script, { keys, arguments })`. */
export interface RedisLike {
  eval(...args: never[]): Promise<unknown> | unknown;
}

export interface RedisStoreOptions {
  /** Prepended to every key (default `errspec`): limiters with the same Redis and prefix share their limits. */
  prefix?: string | undefined;
  /** How long a permit outlives a holder that stops renewing it (default 30 000 ms); renewed every leaseMs / 3. */
  leaseMs?: number | undefined;
}

/** Where a limiter keeps its permits, budget and adaptive limits: this process (the default), or Redis. */
export type LimiterStore = LocalStore | RedisStore;

export interface LocalStore {
  readonly kind: 'local';
}

export interface RedisStore {
  readonly kind: 'redis';
  readonly client: RedisLike;
  readonly prefix: string;
  readonly leaseMs: number;
}

export interface RetryBudgetOptions {
  /** Tokens when full (default 500). */
  capacity: number;
  /** What a retry takes (default 5). */
  retryCost: number;
  /** What a retry after a timeout or a network error takes (default 10). */
  timeoutCost: number;
}

export interface LimiterOptionsOf<V extends Vocabulary> {
  /** Where the limits live; default: in this process only. */
  store?: LimiterStore | undefined;
  /** Generations at once per provider; default: the spec's documented limits; a provider with none is unlimited. */
  concurrency?: Partial<Record<V['provider'], number>> | undefined;
  /** The retry budget shared by all calls of a provider, or false for none; each part left out keeps its default (500 / 5 / 10). */
  retryBudget?: { [K in keyof RetryBudgetOptions]?: RetryBudgetOptions[K] | undefined } | false | undefined;
}

/** Marks a limiter, whichever copy of the package made it, as ProviderError is marked. */
const LIMITER_BRAND: unique symbol = /* @__PURE__ */ Symbol.for('errspec.Limiter') as never;

/** The settings of a limiter, complete. Pass it as `{ limiter }` to fetchWithRetry, pollTask and runTask. */
export class Limiter {
  constructor(
    readonly store: LimiterStore,
    /** Permits per provider; absent: unlimited. */
    readonly concurrency: ReadonlyMap<string, number>,
    readonly retryBudget: Readonly<RetryBudgetOptions> | null,
  ) {
    // On each limiter rather than the prototype: a statement outside the class would keep the class in every bundle.
    Object.defineProperty(this, LIMITER_BRAND, { value: true });
    Object.freeze(this);
  }
}

export const DEFAULT_RETRY_BUDGET: Readonly<RetryBudgetOptions> = /* @__PURE__ */ Object.freeze({ capacity: 500, retryCost: 5, timeoutCost: 10 });
export const DEFAULT_LEASE_MS = 30_000;
const LOCAL: LocalStore = /* @__PURE__ */ Object.freeze({ kind: 'local' });

export function createLimiter<V extends Vocabulary>(tables: ReadonlyMap<V['provider'], ProviderTable<V>>, options?: LimiterOptionsOf<V>): Limiter {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError('createLimiter takes an options object');
  const { store = LOCAL, concurrency = {}, retryBudget } = options ?? {};
  rejectUnknownKeys(options ?? {}, ['store', 'concurrency', 'retryBudget']);
  if (!isStore(store)) throw new TypeError('store must come from redisStore(client), or be left out for a limiter of this process');
  if (typeof concurrency !== 'object' || concurrency === null) throw new TypeError('concurrency must be an object of provider ids and numbers');
  const limits = new Map<string, number>();
  for (const [id, table] of tables) if (table.concurrency !== null) limits.set(id, table.concurrency);
  for (const [id, limit] of Object.entries(concurrency as Record<string, unknown>)) {
    if (!tables.has(id as V['provider'])) throw new TypeError(`concurrency: unknown provider '${id}'; the spec declares ${[...tables.keys()].join(', ')}`);
    if (limit === undefined) continue;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw new TypeError(`concurrency.${id} must be an integer of at least 1`);
    limits.set(id, limit);
  }
  return new Limiter(store, limits, budgetOf(retryBudget));
}

export function redisStore(client: RedisLike, options?: RedisStoreOptions): RedisStore {
  if (typeof client !== 'object' || client === null || typeof (client as { eval?: unknown }).eval !== 'function') {
    throw new TypeError('redisStore takes a Redis client with an eval method (ioredis or node-redis)');
  }
  const { prefix = 'errspec', leaseMs = DEFAULT_LEASE_MS } = options ?? {};
  if (typeof prefix !== 'string' || prefix === '') throw new TypeError('prefix must be a non-empty string');
  // Renewed every leaseMs / 3, which a timer must be able to wait: a day at most.
  if (typeof leaseMs !== 'number' || !Number.isInteger(leaseMs) || leaseMs < 300 || leaseMs > 86_400_000) throw new TypeError('leaseMs must be an integer from 300 to 86 400 000 (a day)');
  return Object.freeze({ kind: 'redis' as const, client, prefix, leaseMs });
}

export function isLimiter(value: unknown): value is Limiter {
  return typeof value === 'object' && value !== null && (value as { [LIMITER_BRAND]?: unknown })[LIMITER_BRAND] === true;
}

function isStore(value: unknown): value is LimiterStore {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return typeof value === 'object' && value !== null && (kind === 'local' || kind === 'redis');
}

function budgetOf(value: LimiterOptionsOf<Vocabulary>['retryBudget']): Readonly<RetryBudgetOptions> | null {
  if (value === false) return null;
  if (value === undefined) return DEFAULT_RETRY_BUDGET;
  if (typeof value !== 'object' || value === null) throw new TypeError('retryBudget must be { capacity, retryCost, timeoutCost } or false');
  rejectUnknownKeys(value, Object.keys(DEFAULT_RETRY_BUDGET), 'retryBudget: ');
  const budget: RetryBudgetOptions = {
    capacity: value.capacity ?? DEFAULT_RETRY_BUDGET.capacity,
    retryCost: value.retryCost ?? DEFAULT_RETRY_BUDGET.retryCost,
    timeoutCost: value.timeoutCost ?? DEFAULT_RETRY_BUDGET.timeoutCost,
  };
  for (const key of ['capacity', 'retryCost', 'timeoutCost'] as const) {
    if (typeof budget[key] !== 'number' || !Number.isInteger(budget[key]) || budget[key] < 0) throw new TypeError(`retryBudget.${key} must be an integer of 0 or more`);
  }
  return Object.freeze(budget);
}
