/**
 * createLimiter in one process (contract section 6): permits per provider, first come first
 * served, waiting under the call's signal and deadline; the adaptive limit; the retry budget; a
 * store that fails. Against the simulated LTX and scripted servers on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLimiter, fetchWithRetry, isProviderError, redisStore, runTask, type ProviderError } from '../generated/index.js';
import { ltxError, useScriptedServer, type Reply, type ScriptedServer } from './executor-helpers.js';
import { abortListeners, rejection, startServer, timers } from './helpers.js';
import { ltxJob, startLtx, type LtxSimulator } from './ltx-simulator.js';

let sim: LtxSimulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

/** The rejection of a call, which must be a ProviderError. */
const providerError = async (promise: Promise<unknown>): Promise<ProviderError> => {
  const error = await rejection(promise);
  expect(isProviderError(error)).toBe(true);
  return error;
};

describe('permits', () => {
  it('20 jobs against an account of 2: never more than 2 generations at once, no 429, every job done once', async () => {
    sim = await startLtx({ unavailable: 0, generationMs: 50 });
    const limiter = createLimiter();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => runTask('ltx', ltxJob(sim!.base, `m${i}`), { limiter, intervalMs: 100 })));
    expect(results).toHaveLength(20);
    expect(sim.peak()).toBe(2);
    expect(sim.tooMany()).toBe(0);
    expect([...sim.created.values()].every((n) => n === 1)).toBe(true);
  });

  it('first come, first served', async () => {
    sim = await startLtx({ unavailable: 0, generationMs: 20 });
    const limiter = createLimiter({ concurrency: { ltx: 1 } });
    await Promise.all(Array.from({ length: 6 }, (_, i) => runTask('ltx', ltxJob(sim!.base, `m${i}`), { limiter, intervalMs: 100 })));
    expect([...sim.created.keys()]).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('a call aborted while it waits leaves the queue at once, and nothing behind', async () => {
    sim = await startLtx({ unavailable: 0, generationMs: 300 });
    const limiter = createLimiter({ concurrency: { ltx: 1 } });
    const before = timers();
    const first = runTask('ltx', ltxJob(sim.base, 'first'), { limiter, intervalMs: 100 });
    const controller = new AbortController();
    const waiting = runTask('ltx', ltxJob(sim.base, 'aborted'), { limiter, intervalMs: 100, signal: controller.signal });
    const third = runTask('ltx', ltxJob(sim.base, 'third'), { limiter, intervalMs: 100 });
    setTimeout(() => controller.abort(new Error('changed my mind')), 50);
    const started = performance.now();
    const error = await providerError(waiting);
    expect(performance.now() - started).toBeLessThan(250);
    expect(error).toMatchObject({ giveUp: 'cancelled', attempts: 0 });
    expect(abortListeners(controller.signal)).toBe(0);
    await Promise.all([first, third]);
    expect([...sim.created.keys()]).toEqual(['first', 'third']);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('a deadline that passes while the call waits: timeout, giveUp deadline, nothing sent', async () => {
    sim = await startLtx({ unavailable: 0, generationMs: 300 });
    const limiter = createLimiter({ concurrency: { ltx: 1 } });
    const first = runTask('ltx', ltxJob(sim.base, 'first'), { limiter, intervalMs: 100 });
    const error = await providerError(runTask('ltx', ltxJob(sim.base, 'late'), { limiter, intervalMs: 100, deadlineMs: 80 }));
    expect(error).toMatchObject({ giveUp: 'deadline', category: 'timeout', attempts: 0 });
    await first;
    expect(sim.created.has('late')).toBe(false);
  });

  it('adapts: a concurrency error while holding permits lowers the limit, so the account is not hammered', async () => {
    // Someone else holds one of the account's two slots: only one is left for us.
    sim = await startLtx({ unavailable: 0, generationMs: 60, limit: 1 });
    const fixed = { sleep: () => Promise.resolve() };
    const adaptive = createLimiter();
    await Promise.all(Array.from({ length: 8 }, (_, i) => runTask('ltx', ltxJob(sim!.base, `a${i}`), { limiter: adaptive, intervalMs: 100, ...fixed })));
    const withLimiter = sim.tooMany();
    await sim.close();
    sim = await startLtx({ unavailable: 0, generationMs: 60, limit: 1 });
    // Without a limiter, each job retries its own 429s, and some run out of retries.
    await Promise.allSettled(Array.from({ length: 8 }, (_, i) => runTask('ltx', ltxJob(sim!.base, `b${i}`), { intervalMs: 100, ...fixed })));
    const without = sim.tooMany();
    // Lowered to one permit after the first 429, it climbs back only after ten successes.
    expect(withLimiter).toBeLessThanOrEqual(2);
    expect(without).toBeGreaterThan(withLimiter * 3);
  });

  it('a submit turned away unprocessed gives its permit to the next in line while it waits to be resent', async () => {
    let first = true;
    sim = await startLtx({ unavailable: 0, generationMs: 30 });
    const inner = sim.base;
    // The first submit meets a 503 (an overload: nothing started), the rest pass through.
    const front = await startServer(async (req, res) => {
      if (req.method === 'POST' && first) {
        first = false;
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'service_unavailable', message: 'busy' } }));
        return;
      }
      const body = req.method === 'POST' ? await new Response(req as unknown as ReadableStream).text() : undefined;
      const answer = await fetch(`${inner}${req.url}`, { method: req.method, body });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(await answer.text());
    });
    try {
      const limiter = createLimiter({ concurrency: { ltx: 1 } });
      const sleep = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 30));
      await Promise.all([
        runTask('ltx', ltxJob(front.base, 'a'), { limiter, intervalMs: 100, sleep }),
        runTask('ltx', ltxJob(front.base, 'b'), { limiter, intervalMs: 100, sleep }),
      ]);
      expect([...sim.created.keys()]).toEqual(['b', 'a']);
    } finally {
      await front.close();
    }
  });

  it('a permit freed in the same tick as a newcomer asks for it is not missed', async () => {
    sim = await startLtx({ unavailable: 0, generationMs: 5_000 });
    const limiter = createLimiter({ concurrency: { ltx: 1 } });
    const controller = new AbortController();
    const holder = runTask('ltx', ltxJob(sim.base, 'holder'), { limiter, intervalMs: 1_000, signal: controller.signal }).catch(() => undefined);
    await expect.poll(() => sim!.created.size).toBe(1);
    await sim.close();
    sim = await startLtx({ unavailable: 0, generationMs: 10 });
    controller.abort();
    const started = performance.now();
    await runTask('ltx', ltxJob(sim.base, 'next'), { limiter, intervalMs: 100, deadlineMs: 3_000 });
    expect(performance.now() - started).toBeLessThan(1_000);
    await holder;
  });

  it('an abort never waits for a store that does not answer, and leaves none of its timers behind', async () => {
    sim = await startLtx({ unavailable: 0 });
    const stalled = { eval: () => new Promise<never>(() => undefined) };
    const limiter = createLimiter({ store: redisStore(stalled) });
    const controller = new AbortController();
    const before = timers();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const error = await providerError(runTask('ltx', ltxJob(sim.base, 'm'), { limiter, signal: controller.signal }));
    expect(error.giveUp).toBe('cancelled');
    expect(performance.now() - started).toBeLessThan(500);
    // The store's own time limit (10 s here) went with the call.
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('a failed request for a permit is taken back, in case the store grants it late', async () => {
    sim = await startLtx({ unavailable: 0 });
    const scripts: string[] = [];
    const flaky = {
      eval: (script: string) => {
        scripts.push(script.includes("'TIME'") && script.includes('INCR') ? 'acquire' : script.includes('ZREM') ? 'release' : 'other');
        return scripts.at(-1) === 'acquire' ? Promise.reject(new Error('Redis did not answer in time')) : Promise.resolve(1);
      },
    };
    const error = await providerError(runTask('ltx', ltxJob(sim.base, 'm'), { limiter: createLimiter({ store: redisStore(flaky as never) }) }));
    expect(error.giveUp).toBe('limiter');
    expect(scripts).toEqual(['acquire', 'release']);
  });

  it('a provider the spec gives no limit is unlimited unless told', async () => {
    // No submit is answered until three are in flight at once: a limit of one would never finish.
    const held: (() => void)[] = [];
    const server = await startServer((req, res) => {
      const reply = (body: unknown): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method !== 'POST') return reply({ status: 'completed' });
      held.push(() => reply({ task_id: `t${held.length}` }));
      if (held.length === 3) held.forEach((answer) => answer());
    });
    try {
      const limiter = createLimiter({ concurrency: { evolink: 1 } });
      const job = (): Promise<unknown> => runTask('foxapi', { submit: new Request(`${server.base}/tasks`, { method: 'POST', body: '{}' }), poll: (id) => `${server.base}/tasks/${id}` }, { limiter, intervalMs: 100, deadlineMs: 5_000 });
      const tasks = await Promise.all([job(), job(), job()]);
      expect(tasks).toHaveLength(3);
    } finally {
      await server.close();
    }
  });
});

describe('retry budget', () => {
  let server: ScriptedServer;
  useScriptedServer((s) => (server = s));
  const path = '/v1/models';
  const url = (): string => `${server.base}${path}`;
  const busy = { status: 503, body: ltxError('service_unavailable', 'down') };
  /** 503 `n` times, then ok. */
  const failNext = (n: number): void => server.script(path, [...Array<Reply>(n).fill(busy), { status: 200, body: 'ok' }]);
  const sleep = (): Promise<void> => Promise.resolve();

  it('20 callers in an outage: the retries they make together stay within the budget', async () => {
    server.script(path, [busy]);
    const limiter = createLimiter({ retryBudget: { capacity: 50, retryCost: 5, timeoutCost: 10 } });
    const errors = await Promise.all(Array.from({ length: 20 }, () => providerError(fetchWithRetry('ltx', url(), undefined, { limiter, sleep }))));
    expect(server.seen(path).length - 20).toBeLessThanOrEqual(10);
    expect(errors.filter((e) => e.giveUp === 'budget').length).toBeGreaterThanOrEqual(10);
    expect(errors.every((e) => e.category === 'overloaded')).toBe(true);
  });

  it('a success returns what its last retry took, and one token when it needed none', async () => {
    const limiter = createLimiter({ retryBudget: { capacity: 5, retryCost: 5, timeoutCost: 5 } });
    // One retry takes all five tokens; its success returns them, so the next call may retry too.
    failNext(1);
    await fetchWithRetry('ltx', url(), undefined, { limiter, sleep });
    failNext(1);
    await fetchWithRetry('ltx', url(), undefined, { limiter, sleep });
    failNext(2);
    const error = await providerError(fetchWithRetry('ltx', url(), undefined, { limiter, sleep }));
    expect(error.giveUp).toBe('budget');
    // Empty now: a call without retries returns one token, not enough for a retry of five.
    failNext(0);
    await fetchWithRetry('ltx', url(), undefined, { limiter, sleep });
    failNext(1);
    expect((await providerError(fetchWithRetry('ltx', url(), undefined, { limiter, sleep }))).giveUp).toBe('budget');
  });

  it('a success after several retries returns the cost of the last one only, as the AWS retry quota does', async () => {
    const limiter = createLimiter({ retryBudget: { capacity: 15, retryCost: 5, timeoutCost: 5 } });
    failNext(3);
    await fetchWithRetry('ltx', url(), undefined, { limiter, sleep }); // 15 - 15 + 5 = 5 left
    failNext(2);
    const error = await providerError(fetchWithRetry('ltx', url(), undefined, { limiter, sleep }));
    expect(error).toMatchObject({ giveUp: 'budget', attempts: 2 });
  });

  it('a concurrency error while holding a permit spends none of it: the permit queue paces that retry, not the budget', async () => {
    // Someone else runs a generation on the account of 1 for a while: our permit's submits meet 429s.
    sim = await startLtx({ unavailable: 0, limit: 1, durationOf: (marker) => (marker === 'outsider' ? 300 : 20) });
    await fetch(ltxJob(sim.base, 'outsider').submit);
    expect(sim.created.get('outsider')).toBe(1);
    // A budget of one retry: a 429 that spent it would end the call with giveUp 'budget'.
    const limiter = createLimiter({ retryBudget: { capacity: 5, retryCost: 5, timeoutCost: 5 } });
    const short = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));
    await runTask('ltx', ltxJob(sim.base, 'ours'), { limiter, intervalMs: 100, sleep: short });
    expect(sim.tooMany()).toBeGreaterThanOrEqual(2);
    expect(sim.created.get('ours')).toBe(1);
  });

  it("a caller's sleep that rejects, even with a ProviderError, is the caller's cancellation", async () => {
    server.script(path, [busy]);
    const earlier = await providerError(fetchWithRetry('ltx', url(), undefined, { maxAttempts: 1 }));
    const error = await providerError(fetchWithRetry('ltx', url(), undefined, { limiter: createLimiter(), sleep: () => Promise.reject(earlier) }));
    expect(error).toMatchObject({ giveUp: 'cancelled', category: 'cancelled' });
    expect(error.cause).toBe(earlier);
  });

  it('a budget given in part keeps the defaults of the rest', async () => {
    server.script(path, [busy]);
    // A capacity of one retry, the default cost of 5: the second retry is refused.
    const limiter = createLimiter({ retryBudget: { capacity: 5, timeoutCost: undefined } });
    const error = await providerError(fetchWithRetry('ltx', url(), undefined, { limiter, sleep }));
    expect(error).toMatchObject({ giveUp: 'budget', attempts: 2 });
  });

  it('retryBudget: false turns it off', async () => {
    server.script(path, [busy]);
    const limiter = createLimiter({ retryBudget: false });
    const error = await providerError(fetchWithRetry('ltx', url(), undefined, { limiter, sleep }));
    expect(error.giveUp).toBe('max_attempts');
    expect(server.seen(path).length).toBeGreaterThan(2);
  });
});

describe('a store that fails', () => {
  it('rejects before anything is sent: category network, giveUp limiter, the store error as cause', async () => {
    sim = await startLtx({ unavailable: 0 });
    const down = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    const client = { eval: () => Promise.reject(down) };
    const limiter = createLimiter({ store: redisStore(client) });
    const error = await providerError(runTask('ltx', ltxJob(sim.base, 'm'), { limiter }));
    // Nothing was sent, so sending it again later is safe: retryable, as its category says.
    expect(error).toMatchObject({ giveUp: 'limiter', category: 'network', retryable: true, action: 'retry', attempts: 0 });
    expect(error.cause).toBe(down);
    expect(sim.created.size).toBe(0);
  });
});

describe('usage errors', () => {
  it.each([
    [() => createLimiter({ concurrency: { nope: 1 } as never }), "concurrency: unknown provider 'nope'"],
    [() => createLimiter({ concurrency: { ltx: 0 } }), 'concurrency.ltx must be an integer of at least 1'],
    [() => createLimiter({ retryBudget: { capacity: -1, retryCost: 5, timeoutCost: 10 } }), 'retryBudget.capacity must be an integer of 0 or more'],
    [() => createLimiter({ store: {} as never }), 'store must come from redisStore(client)'],
    [() => createLimiter({ limit: 2 } as never), "unknown option 'limit'"],
    [() => redisStore({} as never), 'redisStore takes a Redis client with an eval method'],
    [() => redisStore({ eval: () => null }, { leaseMs: 10 }), 'leaseMs must be an integer from 300 to 86 400 000'],
    [() => redisStore({ eval: () => null }, { leaseMs: 2 ** 33 }), 'leaseMs must be an integer from 300 to 86 400 000'],
    [() => createLimiter({ retryBudget: { retrycost: 1 } as never }), "retryBudget: unknown option 'retrycost'"],
  ])('%#: %s', (make, message) => {
    expect(make).toThrow(TypeError);
    expect(make).toThrow(message);
  });

  it('a limiter that createLimiter did not make is refused before anything is sent', async () => {
    await expect(fetchWithRetry('ltx', 'http://127.0.0.1:9/', undefined, { limiter: {} as never })).rejects.toThrow('limiter must come from createLimiter()');
  });
});
