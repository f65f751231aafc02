/**
 * A limiter's state in Redis, shared by every process that uses the same Redis and prefix. Each
 * operation is one Lua script, so it is atomic; time is Redis's own (`TIME`), so the workers'
 * clocks do not matter. Permits are leases (a sorted set of holders scored by expiry) that the
 * holder renews: a worker that dies frees its permit within `leaseMs`. Waiters queue in a sorted
 * set scored by ticket, first come first served, and leave it when they stop asking for a while.
 * The client is the caller's (ioredis or node-redis); the package depends on neither.
 */
import type { RedisLike, RedisStore } from '../runtime/limiter-options.js';
import type { Backend } from './limiter-backend.js';
import { RECOVERY_STEP } from './limiter-local.js';

/** How often a waiter asks again, around this; a release in this process wakes it at once. */
const POLL_MS = 50;
/** A waiter that has not asked for this long has gone: it leaves the queue. */
const STALE_WAITER_MS = 5_000;

const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS: holders, queue, seen, ticket, limit. ARGV: holder, limit, leaseMs, staleMs, again (1: back
 * from a wait, so ahead of the newcomers: its ticket is moved far below theirs). 1: granted.
 */
const ACQUIRE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[4]))) do
  redis.call('ZREM', KEYS[2], gone) redis.call('ZREM', KEYS[3], gone)
end
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1]) return 1
end
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  local ticket = redis.call('INCR', KEYS[4])
  if ARGV[5] == '1' then ticket = ticket - 1e15 end
  redis.call('ZADD', KEYS[2], ticket, ARGV[1])
end
redis.call('ZADD', KEYS[3], now, ARGV[1])
local limit = tonumber(ARGV[2])
local effective = tonumber(redis.call('GET', KEYS[5]) or limit)
local free = math.floor(math.min(effective, limit)) - redis.call('ZCARD', KEYS[1])
if free <= 0 or redis.call('ZRANK', KEYS[2], ARGV[1]) >= free then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1]) redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
return 1`;

/**
 * KEYS: holders. ARGV: holder, leaseMs. Only a lease still held is renewed: one that lapsed may
 * have gone to someone else, and taking it back would exceed the limit.
 */
const RENEW = `${NOW}
return redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[1])`;

/** KEYS: holders, queue, seen. ARGV: holder. */
const RELEASE = `redis.call('ZREM', KEYS[1], ARGV[1]) redis.call('ZREM', KEYS[2], ARGV[1]) redis.call('ZREM', KEYS[3], ARGV[1]) return 1`;

/** KEYS: limit. ARGV: 'down' or 'up', limit, step. The same rule as nextLimit (limiter-local.ts). */
const ADJUST = `local limit = tonumber(ARGV[2])
local current = tonumber(redis.call('GET', KEYS[1]) or limit)
local next
if ARGV[1] == 'down' then next = current / 2 else next = current + tonumber(ARGV[3]) end
next = math.min(limit, math.max(1, next))
redis.call('SET', KEYS[1], tostring(next)) return 1`;

/** KEYS: budget. ARGV: cost, capacity. 1: taken. */
const TAKE = `local tokens = tonumber(redis.call('GET', KEYS[1]) or ARGV[2])
if tokens < tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], tokens - tonumber(ARGV[1])) return 1`;

/** KEYS: budget. ARGV: amount, capacity. */
const REFUND = `local tokens = tonumber(redis.call('GET', KEYS[1]) or ARGV[2])
redis.call('SET', KEYS[1], math.min(tonumber(ARGV[2]), tokens + tonumber(ARGV[1]))) return 1`;

export class RedisBackend implements Backend {
  readonly renewEveryMs: number;
  /** Wakes this process's waiters at once when one of its holders releases. */
  private readonly local = new Map<string, Set<() => void>>();

  constructor(private readonly store: RedisStore) {
    this.renewEveryMs = Math.floor(store.leaseMs / 3);
  }

  async tryAcquire(provider: string, holder: string, limit: number, again: boolean): Promise<boolean> {
    const k = this.keys(provider);
    return (await this.eval(ACQUIRE, [k.holders, k.queue, k.seen, k.ticket, k.limit], [holder, limit, this.store.leaseMs, STALE_WAITER_MS, again ? 1 : 0])) === 1;
  }

  async renew(provider: string, holder: string): Promise<void> {
    await this.eval(RENEW, [this.keys(provider).holders], [holder, this.store.leaseMs]);
  }

  async release(provider: string, holder: string): Promise<void> {
    const k = this.keys(provider);
    try {
      await this.eval(RELEASE, [k.holders, k.queue, k.seen], [holder], false);
    } finally {
      this.wake(provider);
    }
  }

  changed(provider: string): { promise: Promise<void>; cancel: () => void } {
    let waiters = this.local.get(provider);
    if (!waiters) this.local.set(provider, (waiters = new Set()));
    let done = (): void => undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const promise = new Promise<void>((resolve) => {
      done = resolve;
      waiters.add(resolve);
      // Jittered, so that waiters in many processes do not ask in step.
      timer = setTimeout(resolve, POLL_MS / 2 + Math.random() * POLL_MS);
    });
    return {
      promise,
      cancel: () => {
        clearTimeout(timer);
        waiters.delete(done);
      },
    };
  }

  async adjust(provider: string, direction: 'down' | 'up', limit: number): Promise<void> {
    await this.eval(ADJUST, [this.keys(provider).limit], [direction, limit, RECOVERY_STEP], direction === 'down');
    if (direction === 'up') this.wake(provider);
  }

  async take(provider: string, cost: number, capacity: number): Promise<boolean> {
    return (await this.eval(TAKE, [this.keys(provider).budget], [cost, capacity])) === 1;
  }

  async refund(provider: string, amount: number, capacity: number): Promise<void> {
    await this.eval(REFUND, [this.keys(provider).budget], [amount, capacity], false);
  }

  /** One hash tag per provider: every key of a script sits in one slot of a Redis Cluster. */
  private keys(provider: string): Record<'holders' | 'queue' | 'seen' | 'ticket' | 'limit' | 'budget', string> {
    const base = `${this.store.prefix}:{${provider}}`;
    return { holders: `${base}:holders`, queue: `${base}:queue`, seen: `${base}:seen`, ticket: `${base}:ticket`, limit: `${base}:limit`, budget: `${base}:budget` };
  }

  private wake(provider: string): void {
    const waiters = this.local.get(provider);
    if (!waiters) return;
    this.local.delete(provider);
    for (const wake of waiters) wake();
  }

  /**
   * Runs a script with the caller's client. When a call waits for the answer (`bounded`), one that
   * takes longer than a renewal period counts as a failure: a store that slow cannot keep leases.
   * Bookkeeping that runs on its own (a release, a refund) has no timer: nothing of a settled call
   * remains but the command the client has queued.
   */
  private eval(script: string, keys: readonly string[], args: readonly (string | number)[], bounded = true): Promise<unknown> {
    const client = this.store.client as RedisLike & { isOpen?: unknown };
    const strings = args.map(String);
    return new Promise<unknown>((resolve, reject) => {
      const timer = bounded ? setTimeout(() => reject(new Error(`Redis did not answer within ${this.renewEveryMs} ms`)), this.renewEveryMs) : undefined;
      let answer: Promise<unknown>;
      try {
        // node-redis 4+ takes the keys and arguments as options; ioredis, as ioredis does.
        const call = client.eval as (...args: unknown[]) => unknown;
        answer = Promise.resolve('isOpen' in client ? call.call(client, script, { keys: [...keys], arguments: strings }) : call.call(client, script, keys.length, ...keys, ...strings));
      } catch (error) {
        answer = Promise.reject(error);
      }
      answer.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}
