/**
 * A scripted provider on 127.0.0.1 for the executor's tests: each path answers with the next of
 * its scripted replies (the last one repeats), and every request is recorded with its body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { startServer, timers, type LocalServer } from './helpers.js';

export { abortListeners, rejection, timers } from './helpers.js';

export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A reply: what to answer, or what to do to the connection. */
export type Reply =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | 'reset-before-body'
  | 'reset-after-body'
  | 'hang'
  /** A 200 that sends half of a JSON body, then nothing. */
  | 'stall-body'
  /** A 200 that sends half of a JSON body, then drops the connection. */
  | 'cut-body';

export interface ScriptedServer extends LocalServer {
  /** Sets the replies of a path, and forgets what it saw. */
  script(path: string, replies: readonly (Reply | ((seen: Seen) => Reply))[]): void;
  /** The requests seen, in order, for a path or all. */
  seen(path?: string): Seen[];
}

export async function scriptedServer(): Promise<ScriptedServer> {
  const scripts = new Map<string, (Reply | ((seen: Seen) => Reply))[]>();
  const seen: Seen[] = [];
  const server = await startServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const script = scripts.get(path) ?? [{ status: 404, body: { error: 'no script' } }];
    const next = script.length > 1 ? script.shift()! : script[0]!;
    if (next === 'reset-before-body') {
      seen.push({ method: req.method ?? '', path, headers: req.headers, body: '' });
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: Seen = { method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(request);
      const reply = typeof next === 'function' ? next(request) : next;
      answer(req, res, reply);
    });
  });
  return {
    ...server,
    script: (path, replies) => {
      scripts.set(path, [...replies] as (Reply | ((seen: Seen) => Reply))[]);
      for (let i = seen.length - 1; i >= 0; i--) if (seen[i]!.path === path) seen.splice(i, 1);
    },
    seen: (path) => seen.filter((s) => path === undefined || s.path === path),
  };
}

function answer(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  if (reply === 'hang') return;
  if (reply === 'stall-body' || reply === 'cut-body') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '64' });
    res.write('{"id":"t","status":', () => {
      if (reply === 'cut-body') setTimeout(() => req.socket.destroy(), 10);
    });
    return;
  }
  if (reply === 'reset-after-body' || reply === 'reset-before-body') {
    req.socket.destroy();
    return;
  }
  const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': typeof reply.body === 'string' ? 'text/html' : 'application/json', ...reply.headers });
  res.end(body);
}

/** Waits recorded instead of slept: the executor's `sleep` option. */
export function recordingSleep(): { sleep: (ms: number, signal: AbortSignal) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms, signal) => {
      if (signal.aborted) throw signal.reason;
      waits.push(ms);
    },
  };
}

/**
 * A scripted server for a test file, handed to `use` once it listens, and rule 4 of the contract
 * checked after every test: no timer left beyond those alive before it.
 */
export function useScriptedServer(use: (server: ScriptedServer) => void): void {
  let server: ScriptedServer | undefined;
  let timersBefore = 0;
  beforeAll(async () => {
    server = await scriptedServer();
    use(server);
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    timersBefore = timers();
  });
  // Rule 4 after every test. A moment's grace: a keep-alive socket of an earlier test that closes
  // meanwhile makes a short timer of its own, which is the transport's, not a call's.
  afterEach(() => expect.poll(timers, { timeout: 200, interval: 10 }).toBeLessThanOrEqual(timersBefore));
}

/** An LTX error body. */
export const ltxError = (type: string, message = type): { type: string; error: { type: string; message: string } } => ({ type: 'error', error: { type, message } });
