/**
 * redisStore against a real redis-server (started here on a free port, nothing saved to disk):
 * worker processes sharing one account's permits, a worker killed while it holds one, Redis
 * restarted mid-run, and the retry budget shared across processes in an outage.
 */
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBackend } from '../generated/executor.js';
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
      const jobs = await workers(4, { BASE: sim.base, JOBS: '10', PREFIX: nextPrefix(), INTERVAL_MS: '50' });
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
      const jobs = await workers(1, { BASE: sim.base, JOBS: '3', PREFIX: keys, LEASE_MS: '1000', INTERVAL_MS: '50' });
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
      const jobs = Array.from({ length: 6 }, (_, i) => runTask('ltx', ltxJob(sim.base, `m${i}`), { limiter, intervalMs: 50 }));
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
      await runTask('ltx', ltxJob(sim.base, 'after'), { limiter, intervalMs: 50 });
      expect([...sim.created.values()].every((n) => n === 1)).toBe(true);
    } finally {
      client.disconnect();
      await sim.close();
      // Up again for the tests after this one, whatever happened here.
      await redis.start();
    }
  }, 60_000);

  it('a lease that lapsed is not renewed: it may have gone to someone else', async () => {
    const client = new Redis({ port: redis.port, host: '127.0.0.1' });
    try {
      const keys = nextPrefix();
      const backend = new RedisBackend({ kind: 'redis', client, prefix: keys, leaseMs: 300 });
      expect(await backend.tryAcquire('ltx', 'first', 1, false)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await backend.tryAcquire('ltx', 'second', 1, false)).toBe(true);
      await backend.renew('ltx', 'first');
      expect(await client.zrange(`${keys}:{ltx}:holders`, 0, -1)).toEqual(['second']);
    } finally {
      client.disconnect();
    }
  });

  it('node-redis works as well as ioredis: one account shared by a client of each', async () => {
    const sim = await startLtx({ unavailable: 0, generationMs: 40 });
    const keys = nextPrefix();
    const nodeRedis = createClient({ socket: { port: redis.port, host: '127.0.0.1' } });
    await nodeRedis.connect();
    const io = new Redis({ port: redis.port, host: '127.0.0.1' });
    try {
      const limiters = [createLimiter({ store: redisStore(nodeRedis, { prefix: keys }) }), createLimiter({ store: redisStore(io, { prefix: keys }) })];
      await Promise.all(Array.from({ length: 12 }, (_, i) => runTask('ltx', ltxJob(sim.base, `m${i}`), { limiter: limiters[i % 2], intervalMs: 20 })));
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
      const limiters = clients.map((client) => createLimiter({ store: redisStore(client, { prefix: keys }), retryBudget: { capacity: 50, retryCost: 5, timeoutCost: 10 } }));
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
