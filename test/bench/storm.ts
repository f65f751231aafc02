/**
 * The storm: 100 runTask jobs against a simulated LTX (2 generations per account, 429 with
 * Retry-After: 1 over that, 5 % random 503s, 200 ms per generation), run five ways in one run:
 * no limiter, the in-process limiter, and 4 worker processes sharing a limiter in Redis; the
 * in-process limiter without the 503s; and the in-process limiter with every wait of the client
 * (the spec's retry waits, Retry-After, the poll interval) scaled down by the factor that makes a
 * 200 ms generation stand for a real one of 30 s, so that a 503's wait costs what it would cost a
 * real job, not 25 job-lengths. Also the cost of a permit (acquire + release) on Redis
 * against a bare Redis round trip.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { CallScope, Limits } from '../../generated/executor.js';
import { createLimiter, redisStore, runTask } from '../../generated/index.js';
import { ltxJob, runWorkers, startLtx } from '../ltx-simulator.js';
import { startRedis } from '../redis-server.js';
import { median } from './measure.js';

export interface StormFigures {
  readonly way: 'no limiter' | 'in-process limiter' | '4 processes, Redis' | 'in-process limiter, no 503s' | 'in-process limiter, waits time-scaled';
  readonly jobs: number;
  readonly completed: number;
  readonly lost: number;
  readonly seconds: number;
  readonly ideal: number;
  readonly tooManyPerJob: number;
  readonly doubleSubmits: number;
}

export interface LimiterFigures {
  readonly storms: readonly StormFigures[];
  /** Median µs of acquire + release of a permit on Redis, and of a PING. */
  readonly permitUs: number;
  readonly pingUs: number;
}

const GENERATION_MS = 200;
/** A real generation of 30 s, played in 200 ms: every wait of the time-scaled storm shrinks as much. */
const TIME_SCALE = 30_000 / GENERATION_MS;
/** The time-scaled storm's poll interval, before scaling: 3 s, ten polls of a 30 s generation. */
const SCALED_INTERVAL_MS = 3_000;

/** Sleeps `ms` ÷ TIME_SCALE, ending early when the signal aborts, as a Sleep must. */
const scaledSleep = (ms: number, signal: AbortSignal): Promise<void> => delay(ms / TIME_SCALE, undefined, { signal });

async function storm(way: StormFigures['way'], jobs: number, redisPort: number): Promise<StormFigures> {
  // Without the 503s, what is left is the limiter's own cost: each 503 of a status request makes a
  // job wait the spec's overload rule (5 s for LTX) while its generation holds a permit.
  const sim = await startLtx({ generationMs: GENERATION_MS, unavailable: way === 'in-process limiter, no 503s' ? 0 : 0.05 });
  const started = performance.now();
  let completed = 0;
  let settled = 0;
  if (way === '4 processes, Redis') {
    // One prefix for all four: the same keys, so one account's limits.
    const prefix = `storm-${Date.now()}`;
    const lines = await runWorkers(4, { BASE: sim.base, REDIS_PORT: String(redisPort), JOBS: String(jobs / 4), PREFIX: prefix, INTERVAL_MS: '100' });
    settled = lines.length;
    completed = lines.filter((l) => l.ok).length;
  } else {
    const limiter = way === 'no limiter' ? undefined : createLimiter();
    const scaled = way === 'in-process limiter, waits time-scaled';
    const options = scaled ? { intervalMs: SCALED_INTERVAL_MS, limiter, sleep: scaledSleep } : { intervalMs: 100, limiter };
    const results = await Promise.allSettled(Array.from({ length: jobs }, (_, i) => runTask('ltx', ltxJob(sim.base, `m${i}`), options)));
    settled = results.length;
    completed = results.filter((r) => r.status === 'fulfilled').length;
  }
  const seconds = (performance.now() - started) / 1000;
  await sim.close();
  return {
    way,
    jobs,
    completed,
    // A job that never settled, or settled without a word, is lost; one that gave up said why.
    lost: jobs - settled,
    seconds,
    ideal: (jobs * GENERATION_MS) / 2 / 1000,
    tooManyPerJob: sim.tooMany() / jobs,
    doubleSubmits: [...sim.created.values()].filter((n) => n > 1).length,
  };
}

/** acquire + release of one permit through Redis, against PING on the same client. */
async function permitCost(port: number): Promise<{ permitUs: number; pingUs: number }> {
  const client = new Redis({ port, host: '127.0.0.1' });
  try {
    const limits = new Limits(createLimiter({ store: redisStore(client, { prefix: `cost-${Date.now()}` }) }), 'ltx');
    const scope = new CallScope([], null);
    const permit = async (): Promise<void> => {
      const held = await limits.acquire(scope, false, () => undefined);
      await held?.release();
    };
    const ping = async (): Promise<void> => void (await client.ping());
    const time = async (op: () => Promise<void>): Promise<number> => {
      const t = performance.now();
      for (let i = 0; i < 200; i++) await op();
      return ((performance.now() - t) * 1000) / 200;
    };
    await time(permit);
    await time(ping);
    const permits: number[] = [];
    const pings: number[] = [];
    // Alternating rounds, so that both see the same machine.
    for (let round = 0; round < 7; round++) {
      permits.push(await time(permit));
      pings.push(await time(ping));
    }
    return { permitUs: median(permits), pingUs: median(pings) };
  } finally {
    client.disconnect();
  }
}

export async function limiterFigures(quick: boolean): Promise<LimiterFigures> {
  const redis = await startRedis();
  try {
    const jobs = quick ? 40 : 100;
    const storms: StormFigures[] = [];
    for (const way of ['no limiter', 'in-process limiter', '4 processes, Redis', 'in-process limiter, no 503s', 'in-process limiter, waits time-scaled'] as const) storms.push(await storm(way, jobs, redis.port));
    return { storms, ...(await permitCost(redis.port)) };
  } finally {
    await redis.stop();
  }
}
