/**
 * Faults of a shared limiter, staged with real worker processes (test/workers/ltx-worker.mjs), a
 * real redis-server and the simulated LTX (2 generations at once): the store flushed, restarted
 * empty, out of every worker's reach, or out of one holder's only (black holes longer than a
 * lease); a worker killed while its calls wait at the head of the queue; a holder stopped past its
 * lease. Each gives the figures the tests assert and
 * the bench prints: the peak of generations asked for at once (over 2, the limiter let too many
 * through), 429s, jobs lost or sent twice, jobs that gave up and why, and the longest time the
 * account ran below its limit while jobs waited (how long the fault cost).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { LTX_WORKER, startLtx, workerLines, type EventLine, type JobLine, type LtxSimulator } from './ltx-simulator.js';
import type { RedisServer } from './redis-server.js';
import { startProxy, type TcpProxy } from './tcp-proxy.js';

export const FAULTS = ['flush', 'restart', 'outage', 'partition', 'kill', 'stop'] as const;
export type Fault = (typeof FAULTS)[number];

export const FAULT_NAMES: Record<Fault, string> = {
  flush: 'FLUSHALL while 2 run and 10 wait',
  restart: 'Redis restarted empty while 2 run and 10 wait',
  outage: 'Redis unreachable from every worker for 5 s (black hole), past the lease',
  partition: 'one holder cut off from Redis for 5 s, past its lease; the others not',
  kill: 'SIGKILL of a worker whose calls wait at the head',
  stop: 'SIGSTOP of a holder for 3 s, past its lease',
};

export interface FaultFigures {
  readonly fault: Fault;
  readonly store: 'redis' | 'local';
  /** Jobs of the workers that lived to the end. */
  readonly jobs: number;
  readonly peak: number;
  readonly tooMany: number;
  readonly lost: number;
  readonly duplicated: number;
  /** Jobs that gave up, by why. */
  readonly gaveUp: Readonly<Record<string, number>>;
  /** The longest time after the fault that the account ran below its limit while a job still waited. */
  readonly idleMs: number;
  /** Lease changes the workers reported (onLease), by kind. */
  readonly leases: Readonly<Record<string, number>>;
  /** 429s answered after the fault ended (a black hole passed, a worker resumed). */
  readonly tooManyAfter: number;
}

const LEASE_MS = 1_500;
const LIMIT = 2;

interface Worker {
  readonly child: ChildProcess;
  readonly name: string;
  readonly jobs: number;
  /** Settles when the process exits, with what it printed. */
  readonly done: Promise<{ jobs: JobLine[]; events: EventLine[] }>;
  /** Resolves on the first event line that `match` accepts. */
  event(match: (event: EventLine) => boolean): Promise<EventLine>;
}

function startWorker(name: string, jobs: number, env: Record<string, string>): Worker {
  const child = spawn(process.execPath, [LTX_WORKER], { env: { ...process.env, WORKER: name, JOBS: String(jobs), ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const watchers: { match: (event: EventLine) => boolean; resolve: (event: EventLine) => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const event of workerLines(out.slice(0, out.lastIndexOf('\n') + 1)).events) {
      for (const w of watchers.splice(0)) (w.match(event) ? w.resolve(event) : watchers.push(w));
    }
  });
  const done = new Promise<{ jobs: JobLine[]; events: EventLine[] }>((resolve) => child.once('exit', () => resolve(workerLines(out))));
  return {
    child,
    name,
    jobs,
    done,
    event: (match) =>
      new Promise((resolve) => {
        const seen = workerLines(out.slice(0, out.lastIndexOf('\n') + 1)).events.find(match);
        if (seen) resolve(seen);
        else watchers.push({ match, resolve });
      }),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  return untilAsync(async () => condition(), timeoutMs);
}

async function untilAsync(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > end) throw new Error('the fault scenario did not reach its next step in time');
    await sleep(10);
  }
}

/** Stages `fault` against workers whose limiter is in Redis or in each process, and measures it. */
export async function runFault(fault: Fault, store: 'redis' | 'local', redis: RedisServer): Promise<FaultFigures> {
  const failFirst = fault === 'stop' ? ['wpaused-j0'] : [];
  // The partitioned holder's generations outlast the black hole; everyone else's are short.
  const durationOf = (marker: string): number => (fault === 'outage' || (fault === 'partition' && marker.startsWith('wholder-')) ? 6_500 : fault === 'stop' ? 1_000 : 1_500);
  const sim = await startLtx({ limit: LIMIT, unavailable: 0, failFirst, durationOf });
  const proxy: TcpProxy | null = fault === 'outage' || fault === 'partition' ? await startProxy(redis.port) : null;
  const env = { BASE: sim.base, REDIS_PORT: String(redis.port), PREFIX: `fault-${fault}-${store}-${Date.now()}`, LEASE_MS: String(LEASE_MS), INTERVAL_MS: '100', STORE: store };
  const workers: Worker[] = [];
  const dead = new Set<Worker>();
  const start = (name: string, jobs: number, through: TcpProxy | null = null): Worker => {
    const worker = startWorker(name, jobs, through ? { ...env, REDIS_PORT: String(through.port) } : env);
    workers.push(worker);
    return worker;
  };
  let faultAt = 0;
  let endedAt = Infinity;
  const untilQueued = async (count: number): Promise<void> => {
    if (store === 'local') return sleep(300);
    const client = new Redis({ port: redis.port, host: '127.0.0.1' });
    try {
      await untilAsync(async () => (await client.zcard(`${env.PREFIX}:{ltx}:queue`)) >= count);
    } finally {
      client.disconnect();
    }
  };
  try {
    if (fault === 'flush' || fault === 'restart') {
      for (let w = 0; w < 4; w++) start(`w${w}`, 3);
      await until(() => sim.generations().length >= LIMIT);
      await sleep(300);
      faultAt = performance.now();
      if (fault === 'flush') {
        const client = new Redis({ port: redis.port, host: '127.0.0.1' });
        await client.flushall();
        client.disconnect();
      } else {
        await redis.stop();
        await redis.start();
      }
      endedAt = performance.now();
    } else if (fault === 'outage' || fault === 'partition') {
      // Two hold the account with generations that outlast the black hole, three wait. In an
      // outage nobody reaches Redis; in a partition only the holder does not, so to the others its
      // leases run out, and it is let in beside them: to a store, a holder it cannot hear from
      // for longer than a lease is dead.
      start('holder', 2, proxy);
      await until(() => sim.generations().length >= LIMIT);
      start('waiting', 3, fault === 'outage' ? proxy : null);
      await sleep(300);
      faultAt = performance.now();
      proxy!.pause();
      await sleep(5_000);
      proxy!.resume();
      endedAt = performance.now();
      // Newcomers once it is over must not be let in beside the holder's generations, still running.
      await sleep(200);
      start('late', 2, fault === 'outage' ? proxy : null);
    } else if (fault === 'kill') {
      start('holder', 2);
      await until(() => sim.generations().length >= LIMIT);
      // The victim's three calls wait at the head of the queue, the other worker's behind them.
      const victim = start('victim', 3);
      await untilQueued(3);
      start('behind', 3);
      await untilQueued(6);
      faultAt = performance.now();
      victim.child.kill('SIGKILL');
      dead.add(victim);
      endedAt = faultAt;
    } else {
      // The paused worker's first generation fails; while it waits to submit again, holding its
      // permit, it is stopped past its lease, and the other worker's waiter takes the permit.
      const paused = start('paused', 1);
      await until(() => sim.generations().length >= 1);
      start('other', 8);
      await paused.event((e) => e.event === 'retry' && e.source === 'task');
      faultAt = performance.now();
      paused.child.kill('SIGSTOP');
      await sleep(2 * LEASE_MS);
      paused.child.kill('SIGCONT');
      endedAt = performance.now();
    }
    const outputs = await Promise.all(workers.map(async (w) => ({ worker: w, ...(await w.done) })));
    const living = outputs.filter((o) => !dead.has(o.worker));
    const jobs = living.flatMap((o) => o.jobs);
    const expected = living.reduce((n, o) => n + o.worker.jobs, 0);
    return {
      fault,
      store,
      jobs: expected,
      peak: sim.demand(),
      tooMany: sim.tooMany(),
      lost: expected - jobs.length,
      duplicated: [...sim.created].filter(([marker, n]) => n > 1 + (failFirst.includes(marker) ? 1 : 0)).length,
      gaveUp: countBy(jobs.filter((j) => !j.ok).map((j) => j.giveUp ?? 'unknown')),
      idleMs: idleWhileWaiting(sim, faultAt),
      leases: countBy(outputs.flatMap((o) => o.events).filter((e) => e.event === 'lease').map((e) => e.kind ?? '')),
      tooManyAfter: sim.tooManyAt().filter((t) => t > endedAt).length,
    };
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await proxy?.close();
    await sim.close();
    await redis.start();
  }
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/**
 * The longest stretch from `from` to the last generation's start with fewer than LIMIT
 * generations running: every job not yet started was waiting then, so the account sat idle.
 */
function idleWhileWaiting(sim: LtxSimulator, from: number): number {
  const generations = sim.generations();
  const lastStart = Math.max(...generations.map((g) => g.startedAt));
  const edges = [...new Set([from, ...generations.flatMap((g) => [g.startedAt, g.endsAt])])].filter((t) => t >= from && t <= lastStart).sort((a, b) => a - b);
  let longest = 0;
  let idleSince: number | null = null;
  for (const t of edges) {
    const running = generations.filter((g) => g.startedAt <= t && t < g.endsAt).length;
    if (running < LIMIT) idleSince ??= t;
    else if (idleSince !== null) {
      longest = Math.max(longest, t - idleSince);
      idleSince = null;
    }
  }
  return Math.round(idleSince === null ? longest : Math.max(longest, lastStart - idleSince));
}
