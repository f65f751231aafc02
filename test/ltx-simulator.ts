/**
 * A simulated LTX on 127.0.0.1, for the limiter's tests and the storm benchmark: at most `limit`
 * generations at once per account (over that, 429 concurrency_limit_error with Retry-After: 1),
 * a share of requests answered 503 before anything is done, and each generation taking
 * `generationMs`. Every submit carries its job's marker, so the server counts double submits.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, startServer } from './helpers.js';

export interface LtxSimulator {
  readonly base: string;
  /** 429s answered because the account was full. */
  readonly tooMany: () => number;
  /** The most generations that ever ran at once. */
  readonly peak: () => number;
  /** Generations started, by job marker. */
  readonly created: ReadonlyMap<string, number>;
  readonly close: () => Promise<void>;
}

export async function startLtx({ limit = 2, generationMs = 200, unavailable = 0.05, random = Math.random }: { limit?: number; generationMs?: number; unavailable?: number; random?: () => number } = {}): Promise<LtxSimulator> {
  const running = new Map<string, { endsAt: number }>();
  const created = new Map<string, number>();
  let tooMany = 0;
  let peak = 0;
  let next = 0;
  const active = (): number => [...running.values()].filter((g) => g.endsAt > Date.now()).length;
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
        if (active() >= limit) {
          tooMany++;
          return json(429, { type: 'error', error: { type: 'concurrency_limit_error', message: 'Concurrency limit exceeded' } }, { 'retry-after': '1' });
        }
        const marker = (JSON.parse(body) as { marker: string }).marker;
        created.set(marker, (created.get(marker) ?? 0) + 1);
        const id = `job${++next}`;
        running.set(id, { endsAt: Date.now() + generationMs });
        peak = Math.max(peak, active());
        json(202, { id, created_at: new Date().toISOString() });
      });
      return;
    }
    const id = (req.url ?? '').split('/').pop() as string;
    const job = running.get(id);
    if (!job) return json(404, { type: 'error', error: { type: 'not_found_error', message: 'Job not found' } });
    json(200, { id, status: job.endsAt <= Date.now() ? 'completed' : 'processing' });
  });
  return { base: server.base, tooMany: () => tooMany, peak: () => peak, created, close: server.close };
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
  return outputs.flatMap((o) => o.stdout.trim().split('\n').filter(Boolean)).map((line) => JSON.parse(line) as JobLine);
}
