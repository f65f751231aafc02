/**
 * redisStore against a real redis-server (started here on a free port, nothing saved to disk):
 * worker processes sharing one account's permits, a worker killed while it holds one, Redis
 * restarted mid-run, and the retry budget shared across processes in an outage.
 */
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallScope, Limits, RedisBackend } from '../generated/executor.js';
import { createLimiter, fetchWithRetry, isProviderError, redisStore, runTask } from '../generated/index.js';
import { startServer } from './helpers.js';
import { LTX_WORKER, ltxJob, runWorkers, startLtx, type JobLine } from './ltx-simulator.js';
import { startRedis, type RedisServer } from './redis-server.js';

let redis: RedisServer;
let prefix = 0;
/** Each test its own keys, so that no state carries over. */
const nextPrefix = (): string => `errspec-test-${++prefix}`;

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(() => redis?.stop());

const workers = (count: number, env: Record<string, string>): Promise<JobLine[]> => runWorkers(count, { REDIS_PORT: String(redis.port), ...env });

describe('redisStore: one account, many workers', () => {
  it('4 worker processes x 10 jobs against an account of 2: never more than 2 at once, no 429, no job lost or sent twice', async () => {
    const sim = await startLtx({ unavailable: 0, generationMs: 100 });
    try {
      const jobs = await workers(4, { BASE: sim.base, JOBS: '10', PREFIX: nextPrefix(), INTERVAL_MS: '100', LEASE_MS: '1500' });
      expect(jobs).toHaveLength(40);
      expect(jobs.filter((j) => !j.ok)).toEqual([]);
      expect(sim.peak()).toBe(2);
      expect(sim.tooMany()).toBe(0);
      expect(sim.created.size).toBe(40);
      expect([...sim.created.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await sim.close();
    }
  }, 60_000);

  it('a worker killed with SIGKILL while it holds permits: the others go on once its leases end', async () => {
    const sim = await startLtx({ unavailable: 0, generationMs: 400 });
    const keys = nextPrefix();
    try {
      // The victim takes both permits, with leases of a second, and dies while its generations run.
      const victim = spawn(process.execPath, [LTX_WORKER], { env: { ...process.env, REDIS_PORT: String(redis.port), BASE: sim.base, JOBS: '2', WORKER: 'victim', PREFIX: keys, LEASE_MS: '1000', INTERVAL_MS: '5000' }, stdio: 'ignore' });
      await expect.poll(() => sim.created.size, { timeout: 10_000, interval: 20 }).toBe(2);
      victim.kill('SIGKILL');
      const killedAt = performance.now();
      const jobs = await workers(1, { BASE: sim.base, JOBS: '3', PREFIX: keys, LEASE_MS: '1000', INTERVAL_MS: '100' });
      expect(jobs.filter((j) => !j.ok)).toEqual([]);
      expect(sim.created.size).toBe(5);
      // Nothing of the survivor's was sent until a lease ended.
      expect(performance.now() - killedAt).toBeGreaterThan(900);
    } finally {
      await sim.close();
    }
  }, 60_000);

  it('Redis gone mid-run: what is waiting rejects with giveUp limiter, nothing is sent twice; back up, new calls run', async () => {
    const sim = await startLtx({ unavailable: 0, generationMs: 300 });
    const client = new Redis({ port: redis.port, host: '127.0.0.1', maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 50, 200) });
    client.on('error', () => undefined);
    try {
      const limiter = createLimiter({ store: redisStore(client, { prefix: nextPrefix(), leaseMs: 1500 }) });
      const jobs = Array.from({ length: 6 }, (_, i) => runTask('ltx', ltxJob(sim.base, `m${i}`), { limiter, intervalMs: 100 }));
      await expect.poll(() => sim.created.size, { timeout: 10_000, interval: 10 }).toBe(2);
      await redis.stop();
      const settled = await Promise.allSettled(jobs);
      const rejected = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
      // The two that held permits finish their tasks; the four waiting for one give up, having sent nothing.
      expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
      expect(rejected).toHaveLength(4);
      for (const error of rejected) {
        expect(isProviderError(error)).toBe(true);
        expect(error).toMatchObject({ giveUp: 'limiter', category: 'network', attempts: 0 });
      }
      expect(sim.created.size).toBe(2);
      await redis.start();
      await expect.poll(() => client.status, { timeout: 10_000 }).toBe('ready');
      await runTask('ltx', ltxJob(sim.base, 'after'), { limiter, intervalMs: 100 });
      expect([...sim.created.values()].every((n) => n === 1)).toBe(true);
    } finally {
      client.disconnect();
      await sim.close();
      // Up again for the tests after this one, whatever happened here.
      await redis.start();
    }
  }, 60_000);

  describe('leases, as the store sees them', () => {
    let client: Redis;
    beforeAll(() => {
      client = new Redis({ port: redis.port, host: '127.0.0.1' });
    });
    afterAll(() => client.disconnect());
    const backend = (prefix: string, leaseMs = 300): RedisBackend => new RedisBackend({ kind: 'redis', client, prefix, leaseMs });
    beforeAll(async () => {
      // Past half of every lease here since Redis (re)started: a new prefix is not taken for a store that lost its state.
      while (Number(/uptime_in_seconds:(\d+)/.exec(await client.info('server'))?.[1]) < 1) await pause(100);
    });
    const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

    it('a lease that lapsed while nobody wanted its permit is taken back: reclaimed', async () => {
      const store = backend(nextPrefix());
      expect(await store.tryAcquire('ltx', 'first', 1, false)).toBe(true);
      await pause(400);
      expect(await store.renew('ltx', 'first', 1, false, false)).toBe('reclaimed');
      expect(await store.tryAcquire('ltx', 'second', 1, false)).toBe(false);
    });

    it('a lease that lapsed and went to someone else is not renewed when nothing of its holder runs: lapsed', async () => {
      const keys = nextPrefix();
      const store = backend(keys);
      expect(await store.tryAcquire('ltx', 'first', 1, false)).toBe(true);
      await pause(400);
      expect(await store.tryAcquire('ltx', 'second', 1, false)).toBe(true);
      expect(await store.renew('ltx', 'first', 1, false, false)).toBe('lapsed');
      expect(await client.zrange(`${keys}:{ltx}:holders`, 0, -1)).toEqual(['second']);
    });

    it('...and is registered again over the limit while its task may run, so that nothing more is granted: overcommitted', async () => {
      const keys = nextPrefix();
      const store = backend(keys);
      expect(await store.tryAcquire('ltx', 'first', 1, false)).toBe(true);
      await pause(400);
      expect(await store.tryAcquire('ltx', 'second', 1, false)).toBe(true);
      expect(await store.renew('ltx', 'first', 1, true, false)).toBe('overcommitted');
      expect((await client.zrange(`${keys}:{ltx}:holders`, 0, -1)).sort()).toEqual(['first', 'second']);
      await store.release('ltx', 'second');
      // One holder on an account of one: still full.
      expect(await store.tryAcquire('ltx', 'third', 1, false)).toBe(false);
      await store.release('ltx', 'first');
      expect(await store.tryAcquire('ltx', 'third', 1, false)).toBe(true);
    });

    it('state lost (FLUSHALL): a holder that renews is restored, and nothing new is granted for a lease, even into an empty store', async () => {
      const keys = nextPrefix();
      const holders = backend(keys, 1_000);
      const waiters = backend(keys, 1_000);
      expect(await holders.tryAcquire('ltx', 'holder', 2, false)).toBe(true);
      expect(await waiters.tryAcquire('ltx', 'early', 2, false)).toBe(true);
      await waiters.release('ltx', 'early');
      await client.flushall();
      const lostAt = performance.now();
      // The store is empty, but this process knew it before: nothing is granted while holders come back.
      expect(await waiters.tryAcquire('ltx', 'newcomer', 2, false)).toBe(false);
      expect(await holders.renew('ltx', 'holder', 2, true, true)).toBe('restored');
      await pause(300);
      expect(await holders.renew('ltx', 'holder', 2, true, true)).toBe('renewed');
      expect(await waiters.tryAcquire('ltx', 'newcomer', 2, false)).toBe(false);
      await pause(1_200 - (performance.now() - lostAt));
      // A lease later, the holder restored and a permit free: the newcomer is let in.
      expect(await waiters.tryAcquire('ltx', 'newcomer', 2, false)).toBe(true);
      expect((await client.zrange(`${keys}:{ltx}:holders`, 0, -1)).sort()).toEqual(['holder', 'newcomer']);
    });

    it('a process that learns of a loss has its holders registered again at once, not at their next renewal', async () => {
      const keys = nextPrefix();
      const store = backend(keys, 1_500);
      const restored: string[] = [];
      expect(await store.tryAcquire('ltx', 'holder', 2, false)).toBe(true);
      store.onLoss('ltx', () => void store.renew('ltx', 'holder', 2, true, true).then((r) => restored.push(r)));
      await client.flushall();
      expect(await store.tryAcquire('ltx', 'waiter', 2, false)).toBe(false);
      await expect.poll(() => restored).toEqual(['restored']);
    });

    it('a waiter that stops asking leaves the queue within a few polls; one that was only slow gets its place back', async () => {
      const keys = nextPrefix();
      const store = backend(keys, 300);
      expect(await store.tryAcquire('ltx', 'holder', 1, false)).toBe(true);
      expect(await store.tryAcquire('ltx', 'slow', 1, false)).toBe(false);
      expect(await store.tryAcquire('ltx', 'dead', 1, false)).toBe(false);
      expect(await store.tryAcquire('ltx', 'live', 1, false)).toBe(false);
      await pause(350);
      expect(await store.renew('ltx', 'holder', 1, true, false)).toBe('reclaimed');
      // 'live' asks: the two that went quiet leave the queue.
      expect(await store.tryAcquire('ltx', 'live', 1, false)).toBe(false);
      expect(await client.zrange(`${keys}:{ltx}:queue`, 0, -1)).toEqual(['live']);
      // 'slow' asks again and is ahead of 'live', as it was.
      expect(await store.tryAcquire('ltx', 'slow', 1, false)).toBe(false);
      await store.release('ltx', 'holder');
      expect(await store.tryAcquire('ltx', 'live', 1, false)).toBe(false);
      expect(await store.tryAcquire('ltx', 'slow', 1, false)).toBe(true);
    });

    it('a permit granted while this process stalled past its lease is asked for again before it is used', async () => {
      const keys = nextPrefix();
      const limits = new Limits(createLimiter({ store: redisStore(client, { prefix: keys, leaseMs: 600 }), concurrency: { ltx: 1 } }), 'ltx');
      const scope = new CallScope([], null);
      const asked = limits.acquire(scope, false, () => undefined);
      const until = performance.now() + 1_000;
      while (performance.now() < until);
      const permit = (await asked)!;
      expect(permit.fresh()).toBe(false);
      // Its lease ran out in Redis while this process stood still; someone else has the permit now.
      const other = backend(keys, 600);
      expect(await other.tryAcquire('ltx', 'other', 1, false)).toBe(true);
      let confirmed = false;
      const confirming = limits.confirm(scope, permit).then(() => (confirmed = true));
      await pause(300);
      expect(confirmed).toBe(false);
      await other.release('ltx', 'other');
      await confirming;
      expect(permit.fresh()).toBe(true);
      permit.release();
    });

    it('Redis restarted empty: a process that never knew it asks first, and is let in only once the running holders could have registered again', async () => {
      const keys = nextPrefix();
      const before = backend(keys, 3_000);
      expect(await before.tryAcquire('ltx', 'holder', 1, false)).toBe(true);
      await redis.stop();
      await redis.start();
      await expect.poll(() => client.status, { timeout: 5_000, interval: 20 }).toBe('ready');
      // A new worker, which knows no epoch: the store cannot tell this from a first start, and waits.
      const newcomer = backend(keys, 3_000);
      expect(await newcomer.tryAcquire('ltx', 'newcomer', 1, false)).toBe(false);
      expect(await before.renew('ltx', 'holder', 1, true, true)).toBe('restored');
      expect(await newcomer.tryAcquire('ltx', 'newcomer', 1, false)).toBe(false);
      await before.release('ltx', 'holder');
      // Still nothing until a lease after the loss: another forgotten holder may not have renewed yet.
      expect(await newcomer.tryAcquire('ltx', 'newcomer', 1, false)).toBe(false);
      await expect.poll(() => newcomer.tryAcquire('ltx', 'newcomer', 1, false), { timeout: 5_000, interval: 100 }).toBe(true);
    }, 15_000);

    it("an answer that arrived in time counts, though this process's event loop stalled past the time limit", async () => {
      const store = backend(nextPrefix(), 300);
      const asked = store.tryAcquire('ltx', 'stalled', 1, false);
      // Blocked for ten times the 100 ms the answer may take; Redis answers within a millisecond.
      const until = performance.now() + 1_000;
      while (performance.now() < until);
      await expect(asked).resolves.toBe(true);
    });
  });

  it('node-redis works as well as ioredis: one account shared by a client of each', async () => {
    const sim = await startLtx({ unavailable: 0, generationMs: 40 });
    const keys = nextPrefix();
    const nodeRedis = createClient({ socket: { port: redis.port, host: '127.0.0.1' } });
    await nodeRedis.connect();
    const io = new Redis({ port: redis.port, host: '127.0.0.1' });
    try {
      const limiters = [createLimiter({ store: redisStore(nodeRedis, { prefix: keys, leaseMs: 1500 }) }), createLimiter({ store: redisStore(io, { prefix: keys, leaseMs: 1500 }) })];
      await Promise.all(Array.from({ length: 12 }, (_, i) => runTask('ltx', ltxJob(sim.base, `m${i}`), { limiter: limiters[i % 2], intervalMs: 100 })));
      expect(sim.peak()).toBe(2);
      expect(sim.tooMany()).toBe(0);
      expect(sim.created.size).toBe(12);
    } finally {
      await nodeRedis.quit();
      io.disconnect();
      await sim.close();
    }
  }, 30_000);

  it('an always-503 outage, 20 callers in 2 processes: the retries all of them make stay within one budget', async () => {
    let requests = 0;
    const server = await startServer((_req, res) => {
      requests++;
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'service_unavailable', message: 'down' } }));
    });
    const keys = nextPrefix();
    const clients = [0, 1].map(() => new Redis({ port: redis.port, host: '127.0.0.1' }));
    try {
      const limiters = clients.map((client) => createLimiter({ store: redisStore(client, { prefix: keys, leaseMs: 1500 }), retryBudget: { capacity: 50, retryCost: 5, timeoutCost: 10 } }));
      const calls = Array.from({ length: 20 }, (_, i) => fetchWithRetry('ltx', `${server.base}/v1/models`, undefined, { limiter: limiters[i % 2], sleep: () => Promise.resolve() }).catch((e: unknown) => e));
      const errors = await Promise.all(calls);
      expect(requests - 20).toBeLessThanOrEqual(10);
      expect(errors.filter((e) => isProviderError(e) && e.giveUp === 'budget').length).toBeGreaterThanOrEqual(10);
    } finally {
      clients.forEach((c) => c.disconnect());
      await server.close();
    }
  }, 30_000);
});
