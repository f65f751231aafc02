/**
 * The shared limiter under faults (contract section 6), on a real redis-server with real worker
 * processes against the simulated LTX (2 generations at once): whatever happens to the store or to
 * a worker, the account never runs more than its limit, nothing is lost or sent twice, and a dead
 * waiter holds back nobody. test/limiter-faults.ts stages each fault; the bench prints the same
 * figures beside those of in-process limiters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFault } from './limiter-faults.js';
import { startRedis, type RedisServer } from './redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(() => redis?.stop());

describe('the limit holds when the store loses its state', () => {
  it('FLUSHALL while 2 generations run and 10 wait: the holders register again, nothing more is let in, no retry budget is spent', async () => {
    const f = await runFault('flush', 'redis', redis);
    expect(f, JSON.stringify(f)).toMatchObject({ peak: 2, tooMany: 0, lost: 0, duplicated: 0 });
    expect(f.gaveUp, JSON.stringify(f)).toEqual({});
    expect(f.leases.restored).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('Redis restarted empty: the same; a call that met Redis down gave up with giveUp limiter, having sent nothing more', async () => {
    const f = await runFault('restart', 'redis', redis);
    expect(f, JSON.stringify(f)).toMatchObject({ peak: 2, tooMany: 0, lost: 0, duplicated: 0 });
    expect(Object.keys(f.gaveUp).filter((why) => why !== 'limiter')).toEqual([]);
  }, 60_000);

  it("Redis out of every worker's reach for 5 s, past the lease: waiting calls give up, the holders keep their permits, newcomers wait for them", async () => {
    const f = await runFault('outage', 'redis', redis);
    expect(f, JSON.stringify(f)).toMatchObject({ peak: 2, tooMany: 0, lost: 0, duplicated: 0 });
    expect(f.gaveUp, JSON.stringify(f)).toEqual({ limiter: 3 });
  }, 60_000);

  it('one holder cut off for 5 s, past its lease: to the others it is dead, but once back it is counted again, and nothing more is let in beside it', async () => {
    const f = await runFault('partition', 'redis', redis);
    // While it cannot renew, its permits go to others (the provider's 429s and the adaptive limit absorb it)...
    expect(f, JSON.stringify(f)).toMatchObject({ lost: 0, duplicated: 0, tooManyAfter: 0 });
    expect(f.gaveUp, JSON.stringify(f)).toEqual({});
    // ...and its renewals, once through, register its running generations again, over the limit if need be.
    expect(f.leases.overcommitted, JSON.stringify(f)).toBeGreaterThanOrEqual(1);
  }, 60_000);
});

describe('workers that die or pause', () => {
  it('a worker killed while its calls wait at the head of the queue holds back nobody', async () => {
    const f = await runFault('kill', 'redis', redis);
    expect(f, JSON.stringify(f)).toMatchObject({ peak: 2, tooMany: 0, lost: 0, duplicated: 0 });
    expect(f.gaveUp, JSON.stringify(f)).toEqual({});
    // Its waiters leave the queue within a few polls, not after a fixed 5 s.
    expect(f.idleMs).toBeLessThan(1_000);
  }, 60_000);

  it('a holder stopped past its lease checks it before submitting again, and queues instead of running a third generation', async () => {
    const f = await runFault('stop', 'redis', redis);
    expect(f, JSON.stringify(f)).toMatchObject({ peak: 2, tooMany: 0, lost: 0, duplicated: 0 });
    expect(f.gaveUp, JSON.stringify(f)).toEqual({});
    expect(f.leases.lapsed, JSON.stringify(f)).toBe(1);
  }, 60_000);
});
