/**
 * The executor's benchmarks, against servers on 127.0.0.1 started here: its overhead over bare
 * fetch, and the memory of many polls at once. The storm of runTask jobs is storm.ts's.
 */
import { fetchWithRetry, pollTask } from '../../generated/index.js';
import { abortListeners, startServer, timers } from '../helpers.js';
import { median } from './measure.js';

export interface ExecutorFigures {
  overhead: { ratio: number; fetchUs: number; retryUs: number };
  polls: { count: number; heapPerPollKiB: number; timersLeft: number; listenersLeft: number; ms: number };
}


/**
 * A full collection, twice with a pause between: fetch leaves each finished request's signal to a
 * FinalizationRegistry, whose callbacks run only after a collection, and free it only at the next.
 */
async function collect(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc?.();
}


/**
 * Sequential successful GETs to a keep-alive server, fetchWithRetry against bare fetch. The two
 * alternate request by request, and the medians of single requests are compared: the machine's
 * noise drifts over seconds, far more than the difference measured.
 */
async function overhead(quick: boolean): Promise<ExecutorFigures['overhead']> {
  const server = await startServer((_req, res) => res.end('ok'), { keepAliveMs: 60_000 });
  const url = `${server.base}/ok`;
  const timed = async (send: () => Promise<Response>): Promise<number> => {
    const start = process.hrtime.bigint();
    await (await send()).text();
    return Number(process.hrtime.bigint() - start) / 1000;
  };
  const bare = (): Promise<Response> => fetch(url);
  const retrying = (): Promise<Response> => fetchWithRetry('ltx', url);
  for (let i = 0; i < 300; i++) {
    await timed(bare);
    await timed(retrying);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < (quick ? 1_000 : 4_000); i++) {
    b.push(await timed(bare));
    a.push(await timed(retrying));
  }
  await server.close();
  return { ratio: median(a) / median(b), fetchUs: median(b), retryUs: median(a) };
}

/**
 * Many tasks polled at once, on the default timers. The heap each poll holds is measured while
 * every poll waits between two status requests, where a poll spends nearly all its life (after a
 * full collection, over what as many bare fetches leave open, so that it is the poll's own state);
 * to hold them there long enough to measure, that wait is 3 s. Then as many polls run at a 10 ms
 * interval, 20 status requests each, all under one shared signal (an app's shutdown signal): once
 * they settle, no timer may be left, nor any listener on that signal.
 */
async function polls(count: number): Promise<ExecutorFigures['polls']> {
  const seen = new Map<string, number>();
  let answered = 0;
  let allWaiting: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => (allWaiting = resolve));
  const server = await startServer((req, res) => {
    const [, , , round, id] = (req.url ?? '').split('/') as string[];
    const n = (seen.get(`${round}/${id}`) ?? 0) + 1;
    seen.set(`${round}/${id}`, n);
    const last = round === 'fast' ? 20 : 2;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id, status: n >= last ? 'completed' : 'processing', progress: Math.min(100, n * 5) }));
    if (round === 'slow' && ++answered === count) allWaiting();
  }, { keepAliveMs: 60_000 });
  const status = (round: string, id: string): string => `${server.base}/v1/tasks/${round}/${id}`;
  const timersBefore = timers();
  // As many bare fetches first, so that the connections fetch keeps open are counted before, not per poll;
  // and a few polls run to the end, so that the executor's module and compiled code are counted before too.
  await Promise.all(Array.from({ length: count }, async (_, i) => (await fetch(`${server.base}/warm/w${i}`)).text()));
  await Promise.all(Array.from({ length: 20 }, (_, i) => pollTask('evolink', status('warm', `w${i}`), { intervalMs: 100 })));
  await collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const slow = Array.from({ length: count }, (_, i) => pollTask('evolink', status('slow', `t${i}`), { intervalMs: 3_000 }));
  await waiting;
  await new Promise((resolve) => setTimeout(resolve, 200));
  await collect();
  const heapWaiting = process.memoryUsage().heapUsed;
  await Promise.all(slow);

  const shutdown = new AbortController();
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, (_, i) => pollTask('evolink', status('fast', `t${i}`), { intervalMs: 100, signal: shutdown.signal })));
  const ms = performance.now() - started;
  await server.close();
  return {
    count,
    heapPerPollKiB: Math.max(0, heapWaiting - heapBefore) / count / 1024,
    timersLeft: timers() - timersBefore,
    listenersLeft: abortListeners(shutdown.signal),
    ms,
  };
}

export async function executorFigures(quick: boolean): Promise<ExecutorFigures> {
  return { overhead: await overhead(quick), polls: await polls(1000) };
}
