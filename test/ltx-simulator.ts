/**
 * A simulated LTX on 127.0.0.1, for the limiter's tests and the storm benchmark: at most `limit`
 * generations at once per account (over that, 429 concurrency_limit_error with Retry-After: 1),
 * a share of requests answered 503 before anything is done, and each generation taking
 * `generationMs`. Every submit carries its job's marker, so the server counts double submits; the
 * first generation of a marker in `failFirst` fails with a retryable error (api_error).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, startServer } from './helpers.js';

export interface LtxSimulator {
  readonly base: string;
  /** 429s answered because the account was full. */
  readonly tooMany: () => number;
  /** When each of them was answered (performance.now() of this process). */
  readonly tooManyAt: () => readonly number[];
  /** The most generations that ever ran at once. */
  readonly peak: () => number;
  /**
   * The most generations that ever ran or were asked to start at once: what the callers' limiter
   * let through. Over `limit`, it let too many through (and the simulator answered 429).
   */
  readonly demand: () => number;
  /** When each generation ran, accepted submits in order (performance.now() of this process). */
  readonly generations: () => readonly { readonly marker: string; readonly startedAt: number; readonly endsAt: number }[];
  /** Generations started, by job marker. */
  readonly created: ReadonlyMap<string, number>;
  readonly close: () => Promise<void>;
}

export async function startLtx({
  limit = 2,
  generationMs = 200,
  unavailable = 0.05,
  random = Math.random,
  failFirst = [],
  durationOf = () => generationMs,
}: {
  limit?: number;
  generationMs?: number;
  unavailable?: number;
  random?: () => number;
  failFirst?: readonly string[];
  /** How long the generation of a marker takes, when not `generationMs`. */
  durationOf?: (marker: string) => number;
} = {}): Promise<LtxSimulator> {
  const running = new Map<string, { marker: string; startedAt: number; endsAt: number; fails: boolean }>();
  const created = new Map<string, number>();
  const tooMany: number[] = [];
  let peak = 0;
  let demand = 0;
  let next = 0;
  const active = (): number => [...running.values()].filter((g) => g.endsAt > performance.now()).length;
  const server = await startServer((req, res) => {
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (random() < unavailable) return json(503, { type: 'error', error: { type: 'service_unavailable', message: 'Service temporarily unavailable' } });
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk));
      req.on('end', () => {
        demand = Math.max(demand, active() + 1);
        if (active() >= limit) {
          tooMany.push(performance.now());
          return json(429, { type: 'error', error: { type: 'concurrency_limit_error', message: 'Concurrency limit exceeded' } }, { 'retry-after': '1' });
        }
        const marker = (JSON.parse(body) as { marker: string }).marker;
        const attempt = (created.get(marker) ?? 0) + 1;
        created.set(marker, attempt);
        const id = `job${++next}`;
        const startedAt = performance.now();
        running.set(id, { marker, startedAt, endsAt: startedAt + durationOf(marker), fails: attempt === 1 && failFirst.includes(marker) });
        peak = Math.max(peak, active());
        json(202, { id, created_at: new Date().toISOString() });
      });
      return;
    }
    const id = (req.url ?? '').split('/').pop() as string;
    const job = running.get(id);
    if (!job) return json(404, { type: 'error', error: { type: 'not_found_error', message: 'Job not found' } });
    if (job.endsAt > performance.now()) return json(200, { id, status: 'processing' });
    if (job.fails) return json(200, { id, status: 'failed', error: { type: 'api_error', message: 'Internal server error' } });
    json(200, { id, status: 'completed' });
  });
  return {
    base: server.base,
    tooMany: () => tooMany.length,
    tooManyAt: () => tooMany,
    peak: () => peak,
    demand: () => demand,
    generations: () => [...running.values()].map(({ marker, startedAt, endsAt }) => ({ marker, startedAt, endsAt })),
    created,
    close: server.close,
  };
}

/** The request runTask sends for job `marker`, and its status requests. */
export function ltxJob(base: string, marker: string): { submit: Request; poll: (id: string) => string } {
  return {
    submit: new Request(`${base}/v2/text-to-video`, { method: 'POST', body: JSON.stringify({ marker, prompt: 'a cat' }) }),
    poll: (id) => `${base}/v2/text-to-video/${id}`,
  };
}

/** What a worker process prints for each job once it settles. */
export interface JobLine {
  readonly marker: string;
  readonly ok: boolean;
  readonly giveUp?: string | null;
  readonly category?: string | null;
}

/** What a worker process prints as something happens to a job: a retry's wait begins, a lease changed. */
export interface EventLine {
  readonly event: 'retry' | 'lease';
  readonly marker: string;
  readonly kind?: string;
  readonly source?: string;
}

/** The lines a worker printed, parsed, split into jobs that settled and events. */
export function workerLines(stdout: string): { jobs: JobLine[]; events: EventLine[] } {
  const lines = stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as JobLine | EventLine);
  return { jobs: lines.filter((l): l is JobLine => !('event' in l)), events: lines.filter((l): l is EventLine => 'event' in l) };
}

/** The worker process's script. */
export const LTX_WORKER = join(ROOT, 'test', 'workers', 'ltx-worker.mjs');
const run = promisify(execFile);

/**
 * Runs `count` worker processes of test/workers/ltx-worker.mjs at once (`WORKER` is each one's
 * index unless `env` names it) and returns the line of every job that settled, those of a worker
 * that died included: a job with no line was lost.
 */
export async function runWorkers(count: number, env: Record<string, string>): Promise<JobLine[]> {
  const outputs = await Promise.all(
    Array.from({ length: count }, (_, w) =>
      run(process.execPath, [LTX_WORKER], { env: { ...process.env, WORKER: String(w), ...env } }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' })),
    ),
  );
  return outputs.flatMap((o) => workerLines(o.stdout).jobs);
}
