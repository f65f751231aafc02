/**
 * A limiter's state in Redis, shared by every process that uses the same Redis and prefix. Each
 * operation is one Lua script, so it is atomic; time is Redis's own (`TIME`), so the workers'
 * clocks do not matter. Permits are leases (a sorted set of holders scored by expiry) that the
 * holder renews: a worker that dies frees its permit within `leaseMs`. Waiters queue in a sorted
 * set scored by ticket, first come first served, and leave it when they stop asking.
 *
 * The state can be lost (a flush, a restart with nothing saved). An epoch key, made anew when it
 * is missing, tells it: a client that knew another epoch knows the holders it saw were forgotten.
 * Their renewals register them again, and nothing new is granted for one lease from the loss, by
 * when every live holder has renewed. A process that knew no epoch cannot tell a loss from a first
 * start, so a missing epoch on a Redis up for less than half a lease is taken for a loss too (a
 * restart is the common way to lose it): grants wait until half a lease after the start, by when
 * every live holder has renewed and so revealed the loss, if there was one. The client is the
 * caller's (ioredis or node-redis); the package depends on neither.
 */
import type { RedisLike, RedisStore } from '../runtime/limiter-options.js';
import type { Backend, Renewal } from './limiter-backend.js';
import { RECOVERY_STEP } from './limiter-local.js';

/** How often a waiter asks again, around this; a release in this process wakes it at once. */
const POLL_MS = 50;
/**
 * A waiter that has not asked for this many polls has gone (its process died): it leaves the
 * queue, so that it holds back nobody. A live one that was only slow gets its place back when it
 * asks again, since it keeps its ticket.
 */
const STALE_AFTER_POLLS = 8;

/** Redis's clock, in ms, as `now`; the seconds and microseconds as `t`. */
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * The epoch (KEYS[e], made when missing, named by the instant it was made) and whether this call
 * reveals a loss: the caller knew another epoch (ARGV[k]) less than a lease (ARGV[l]) ago. A loss
 * starts the recovery (KEYS[r]), which ends one lease after the new epoch began; an epoch made on a
 * Redis up for less than half a lease starts one that ends half a lease after Redis started (an
 * uptime INFO will not tell counts as just started).
 */
const epoch = (e: number, r: number, k: number, l: number): string => `
local epoch = redis.call('GET', KEYS[${e}])
if not epoch then
  epoch = t[1] .. '.' .. t[2]
  redis.call('SET', KEYS[${e}], epoch)
  local ok, info = pcall(redis.call, 'INFO', 'server')
  local up = ok and tonumber(string.match(info, 'uptime_in_seconds:(%d+)')) or 0
  local left = math.floor(tonumber(ARGV[${l}]) / 2) - up * 1000
  if left > 0 then redis.call('SET', KEYS[${r}], '1', 'PX', left) end
end
local lost = false
if ARGV[${k}] ~= '' and ARGV[${k}] ~= epoch then
  local began = tonumber(string.match(epoch, '^%d+')) * 1000 + math.floor(tonumber(string.match(epoch, '%d+$')) / 1000)
  local left = began + tonumber(ARGV[${l}]) - now
  if left > 0 then
    lost = true
    redis.call('SET', KEYS[${r}], '1', 'PX', left)
  end
end`;

/** How many permits are free: the adaptive limit (KEYS[k]) within the configured one (ARGV[a]), less the holders (KEYS[h]). */
const free = (k: number, a: number, h: number): string =>
  `math.floor(math.min(tonumber(redis.call('GET', KEYS[${k}]) or ARGV[${a}]), tonumber(ARGV[${a}]))) - redis.call('ZCARD', KEYS[${h}])`;

/**
 * KEYS: holders, queue, seen, ticket, limit, epoch, recovery. ARGV: holder, limit, leaseMs,
 * staleMs, again (1: back from a wait, so ahead of the newcomers: its ticket is moved far below
 * theirs), the epoch the caller knows, the caller's ticket in it ('' for none).
 * Answers { granted (1 or 0), epoch, ticket }.
 */
const ACQUIRE = `${NOW}${epoch(6, 7, 6, 3)}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[4]))) do
  redis.call('ZREM', KEYS[2], gone) redis.call('ZREM', KEYS[3], gone)
end
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1]) redis.call('ZREM', KEYS[3], ARGV[1])
  return {1, epoch, 0}
end
local ticket = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[1]))
if not ticket then
  if ARGV[7] ~= '' and ARGV[6] == epoch then
    ticket = tonumber(ARGV[7])
  else
    ticket = redis.call('INCR', KEYS[4])
    if ARGV[5] == '1' then ticket = ticket - 1e15 end
  end
  redis.call('ZADD', KEYS[2], ticket, ARGV[1])
end
redis.call('ZADD', KEYS[3], now, ARGV[1])
if redis.call('EXISTS', KEYS[7]) == 1 then return {0, epoch, ticket} end
local room = ${free(5, 2, 1)}
if room <= 0 or redis.call('ZRANK', KEYS[2], ARGV[1]) >= room then return {0, epoch, ticket} end
redis.call('ZREM', KEYS[2], ARGV[1]) redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
return {1, epoch, 0}`;

/**
 * KEYS: holders, queue, seen, limit, epoch, recovery. ARGV: holder, leaseMs, limit, the epoch the
 * holder got its permit in, running (1: its task may be running), held (1: its lease had not run
 * out on its own clock). Answers { renewal, epoch }. After a loss, only a holder that still held
 * its lease, or whose task runs, is registered again.
 */
const RENEW = `${NOW}${epoch(5, 6, 4, 2)}
local lease = now + tonumber(ARGV[2])
local function hold(renewal)
  redis.call('ZADD', KEYS[1], lease, ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1]) redis.call('ZREM', KEYS[3], ARGV[1])
  return {renewal, epoch}
end
if lost then
  if ARGV[5] == '1' or ARGV[6] == '1' then return hold('restored') end
  return {'lapsed', epoch}
end
local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
if expiry and tonumber(expiry) > now then return hold('renewed') end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('EXISTS', KEYS[6]) == 0 and ${free(4, 3, 1)} > 0 then return hold('reclaimed') end
if ARGV[5] == '1' then return hold('overcommitted') end
return {'lapsed', epoch}`;

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

const RENEWALS: ReadonlySet<string> = new Set<Renewal>(['renewed', 'restored', 'reclaimed', 'overcommitted', 'lapsed']);

type Keys = Record<'holders' | 'queue' | 'seen' | 'ticket' | 'limit' | 'budget' | 'epoch' | 'recovery', string>;

export class RedisBackend implements Backend {
  readonly leaseMs: number;
  readonly renewEveryMs: number;
  /** Wakes this process's waiters at once when one of its holders releases. */
  private readonly local = new Map<string, Set<() => void>>();
  /** The newest epoch this process has seen, per provider. */
  private readonly epochs = new Map<string, string>();
  /** Per holder or waiter of this process: the epoch of its permit or ticket, and the ticket. */
  private readonly mine = new Map<string, { epoch: string; ticket: string }>();
  private readonly losses = new Map<string, Set<() => void>>();
  private readonly staleMs: number;

  constructor(private readonly store: RedisStore) {
    this.leaseMs = store.leaseMs;
    this.renewEveryMs = Math.floor(store.leaseMs / 3);
    this.staleMs = Math.min(store.leaseMs, STALE_AFTER_POLLS * POLL_MS);
  }

  async tryAcquire(provider: string, holder: string, limit: number, again: boolean, signal?: AbortSignal): Promise<boolean> {
    const k = this.keys(provider);
    // Known from the first ask; a release forgets it, and a late answer does not bring it back.
    const known = this.mine.get(holder) ?? { epoch: this.epochs.get(provider) ?? '', ticket: '' };
    this.mine.set(holder, known);
    const answer = await this.eval(
      ACQUIRE,
      [k.holders, k.queue, k.seen, k.ticket, k.limit, k.epoch, k.recovery],
      [holder, limit, this.leaseMs, this.staleMs, again ? 1 : 0, known.epoch, known.ticket],
      signal ?? null,
    );
    const [granted = '', epoch = '', ticket = ''] = reply(answer, 3);
    this.saw(provider, epoch);
    this.remember(holder, { epoch, ticket: granted === '1' ? '' : ticket });
    return granted === '1';
  }

  async renew(provider: string, holder: string, limit: number, running: boolean, held: boolean): Promise<Renewal> {
    const k = this.keys(provider);
    const since = this.mine.get(holder)?.epoch ?? this.epochs.get(provider) ?? '';
    // Unbounded: no one waits on a renewal, and what it did to the lease, however late, is the lease's state.
    const answer = await this.eval(RENEW, [k.holders, k.queue, k.seen, k.limit, k.epoch, k.recovery], [holder, this.leaseMs, limit, since, running ? 1 : 0, held ? 1 : 0], undefined);
    const [renewal = '', epoch = ''] = reply(answer, 2);
    if (!RENEWALS.has(renewal)) throw new Error(`unexpected answer from Redis: ${renewal}`);
    this.saw(provider, epoch);
    this.remember(holder, { epoch, ticket: '' });
    return renewal as Renewal;
  }

  async release(provider: string, holder: string): Promise<void> {
    const k = this.keys(provider);
    this.mine.delete(holder);
    try {
      await this.eval(RELEASE, [k.holders, k.queue, k.seen], [holder], undefined);
    } finally {
      this.wake(provider);
    }
  }

  changed(provider: string): { promise: Promise<void>; cancel: () => void } {
    const waiters = this.listeners(this.local, provider);
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

  onLoss(provider: string, listener: () => void): () => void {
    const listeners = this.listeners(this.losses, provider);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }

  async adjust(provider: string, direction: 'down' | 'up', limit: number, signal?: AbortSignal): Promise<void> {
    await this.eval(ADJUST, [this.keys(provider).limit], [direction, limit, RECOVERY_STEP], direction === 'down' ? (signal ?? null) : undefined);
    if (direction === 'up') this.wake(provider);
  }

  async take(provider: string, cost: number, capacity: number, signal?: AbortSignal): Promise<boolean> {
    return (await this.eval(TAKE, [this.keys(provider).budget], [cost, capacity], signal ?? null)) === 1;
  }

  async refund(provider: string, amount: number, capacity: number): Promise<void> {
    await this.eval(REFUND, [this.keys(provider).budget], [amount, capacity], undefined);
  }

  /** What a holder or waiter of this process knows, unless it was released meanwhile. */
  private remember(holder: string, known: { epoch: string; ticket: string }): void {
    if (this.mine.has(holder)) this.mine.set(holder, known);
  }

  /** A new epoch after another one: the store lost its state, and this process's holders register again at once. */
  private saw(provider: string, epoch: string): void {
    const before = this.epochs.get(provider);
    this.epochs.set(provider, epoch);
    if (before === undefined || before === epoch) return;
    for (const listener of [...(this.losses.get(provider) ?? [])]) listener();
  }

  /** One hash tag per provider: every key of a script sits in one slot of a Redis Cluster. */
  private keys(provider: string): Keys {
    const base = `${this.store.prefix}:{${provider}}`;
    return {
      holders: `${base}:holders`,
      queue: `${base}:queue`,
      seen: `${base}:seen`,
      ticket: `${base}:ticket`,
      limit: `${base}:limit`,
      budget: `${base}:budget`,
      epoch: `${base}:epoch`,
      recovery: `${base}:recovery`,
    };
  }

  private listeners(map: Map<string, Set<() => void>>, provider: string): Set<() => void> {
    let set = map.get(provider);
    if (!set) map.set(provider, (set = new Set()));
    return set;
  }

  private wake(provider: string): void {
    const waiters = this.local.get(provider);
    if (!waiters) return;
    this.local.delete(provider);
    for (const wake of waiters) wake();
  }

  /**
   * Runs a script with the caller's client. When a call waits for the answer (`bounded`: a signal,
   * or null for none), one that takes longer than a renewal period counts as a failure: a store
   * that slow cannot keep leases. When the timer fires late because this process's own event loop
   * stalled, the verdict waits one more turn of the loop, in which the I/O that the stall held back
   * (an answer that arrived in time) is read first. The signal (the call stopping) ends the wait and
   * its timers at once. Bookkeeping that runs on its own (`undefined`: a release, a refund, a
   * renewal) has no timer: nothing of a settled call remains but the command the client has queued.
   */
  private eval(script: string, keys: readonly string[], args: readonly (string | number)[], bounded: AbortSignal | null | undefined): Promise<unknown> {
    const client = this.store.client as RedisLike & { isOpen?: unknown };
    const strings = args.map(String);
    return new Promise<unknown>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let settled = false;
      const settle = (done: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        bounded?.removeEventListener('abort', stop);
        done();
      };
      const stop = (): void => settle(() => reject(bounded?.reason));
      if (bounded !== undefined) {
        const late = (): void => settle(() => reject(new Error(`Redis did not answer within ${this.renewEveryMs} ms`)));
        timer = setTimeout(() => (timer = setTimeout(late, 0)), this.renewEveryMs);
        if (bounded?.aborted) return stop();
        bounded?.addEventListener('abort', stop, { once: true });
      }
      let answer: Promise<unknown>;
      try {
        // node-redis 4+ takes the keys and arguments as options; ioredis, as ioredis does.
        const call = client.eval as (...args: unknown[]) => unknown;
        answer = Promise.resolve('isOpen' in client ? call.call(client, script, { keys: [...keys], arguments: strings }) : call.call(client, script, keys.length, ...keys, ...strings));
      } catch (error) {
        answer = Promise.reject(error);
      }
      answer.then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }
}

/** A script's array answer as `count` strings; anything else is the store failing. */
function reply(answer: unknown, count: number): string[] {
  if (!Array.isArray(answer) || answer.length !== count) throw new Error(`unexpected answer from Redis: ${JSON.stringify(answer)}`);
  return answer.map((item: unknown) => String(item));
}
