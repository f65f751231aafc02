/**
 * How the CLI runs the emit stage: in a worker started before validation, so that loading the
 * emitters' libraries overlaps with parsing the spec (two cores, one cold start). When the
 * generator runs from its TypeScript sources (through tsx) it emits in this thread instead; the
 * output is the same either way, since emit is a pure function of its input. Either way the
 * emitters' modules are imported only where they run.
 */
import { Worker } from 'node:worker_threads';
import type { EmitInput, EmitResult } from './index.js';

export interface Emitter {
  run(input: EmitInput): Promise<EmitResult>;
  /** Ends the worker; safe to call more than once, and after `run`. */
  stop(): void;
}

/**
 * `inProcess` suits repeated runs (`--watch`), which keep the emitters' libraries warm in this
 * thread; a worker suits one cold run.
 */
export function startEmitter({ inProcess = false } = {}): Emitter {
  const workerUrl = new URL('./worker.js', import.meta.url);
  if (inProcess || !import.meta.url.endsWith('.js')) {
    return { run: async (input) => (await import('./index.js')).emit(input), stop: () => undefined };
  }
  const worker = new Worker(workerUrl);
  let settled = false;
  const stop = (): void => {
    if (!settled) void worker.terminate();
    settled = true;
  };
  return {
    run: (input) =>
      new Promise((resolve, reject) => {
        worker.once('message', (reply: { output?: EmitResult; error?: string }) => {
          stop();
          if (reply.output) resolve(reply.output);
          else reject(new Error(reply.error ?? 'the emit worker failed'));
        });
        worker.once('error', (error) => {
          stop();
          reject(error);
        });
        worker.once('exit', (code) => reject(new Error(`the emit worker exited (code ${code}) before it answered`)));
        worker.postMessage(input);
      }),
    stop,
  };
}
