/**
 * The emit stage in a worker thread. It loads ts-morph (the slowest import) as soon as it starts,
 * while the main thread parses and validates the spec; then it emits what it is sent.
 */
import { parentPort } from 'node:worker_threads';
import { emit, type EmitInput } from './index.js';
import { loadTsMorph } from './printer.js';

loadTsMorph();

parentPort?.once('message', (input: EmitInput) => {
  emit(input).then(
    (output) => parentPort?.postMessage({ output }),
    (error: unknown) => parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
});
