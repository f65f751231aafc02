/**
 * classifyFetchResponse against real responses from node:http on 127.0.0.1, and what
 * classifyResponse does when it is handed a fetch Response or its stream by mistake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abortListeners, startServer, timers, type LocalServer } from './helpers.js';
import { classifyFetchResponse, classifyFetchTask, classifyResponse, classifyTask, taskState } from '../generated/index.js';
import * as ltx from '../generated/ltx/index.js';

/** Timers alive in this process. */

const RATE_LIMITED = JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'Rate limit exceeded' } });
const MiB = 1 << 20;

let server: LocalServer;
let base: string;
/** Bytes of the /huge body the server managed to write before the client stopped reading. */
let hugeWritten = 0;
let hugeClosed: Promise<void> = Promise.resolve();

beforeAll(async () => {
  server = await startServer((req, res) => {
    switch (req.url) {
      case '/rate-limited':
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '12', 'x-request-id': 'req_42' });
        res.end(RATE_LIMITED);
        break;
      case '/gateway':
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
        break;
      case '/stall':
        // Headers and the start of a body, then nothing: the socket stays open.
        res.writeHead(500, { 'content-type': 'application/json' });
        res.write('{"error"');
        break;
      case '/empty':
        res.writeHead(503).end();
        break;
      case '/cut':
        // Headers and half a body, then the connection dies.
        res.writeHead(429, { 'content-type': 'application/json', 'content-length': String(RATE_LIMITED.length * 2) });
        res.write(RATE_LIMITED.slice(0, 20), () => setTimeout(() => req.socket.destroy(), 20));
        break;
      case '/huge': {
        // 64 MiB of JSON-looking text, written as fast as the client reads it.
        hugeWritten = 0;
        res.writeHead(500, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        hugeClosed = new Promise((resolve) => res.on('close', resolve));
        const pump = (): void => {
          while (hugeWritten < 64 * MiB && !res.destroyed) {
            hugeWritten += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.write('{"error":');
        pump();
        break;
      }
      default:
        res.writeHead(404).end();
    }
  });
  base = server.base;
});

afterAll(() => server.close());

describe('classifyFetchResponse', () => {
  it('reads the body of a real 429: code, Retry-After and request id', async () => {
    const r = await classifyFetchResponse('ltx', await fetch(`${base}/rate-limited`));
    expect([r.category, r.code, r.known, r.conforms, r.retryAfterMs, r.requestId]).toEqual(['rate_limited', 'rate_limit_error', true, true, 12_000, 'req_42']);
  });

  it('is bound in the provider subpath, with the code narrowed to the provider', async () => {
    const r = await ltx.classifyFetchResponse(await fetch(`${base}/rate-limited`));
    expect([r.provider, r.code]).toEqual(['ltx', 'rate_limit_error']);
  });

  it('classifies an HTML 502 and an empty 503 by status', async () => {
    const gateway = await classifyFetchResponse('evolink', await fetch(`${base}/gateway`));
    expect([gateway.category, gateway.code, gateway.conforms]).toEqual(['upstream_unavailable', null, false]);
    const empty = await classifyFetchResponse('evolink', await fetch(`${base}/empty`));
    expect([empty.category, empty.code, empty.message]).toEqual(['overloaded', null, 'Service temporarily unavailable; retry after 30 seconds.']);
  });

  it('reads at most 1 MiB of a huge body and stops the transfer', async () => {
    const r = await classifyFetchResponse('ltx', await fetch(`${base}/huge`));
    expect([r.category, r.code, r.conforms]).toEqual(['server_error', null, false]);
    await hugeClosed;
    // The server stops writing once the client cancels; only socket buffers separate the two.
    expect(hugeWritten).toBeLessThan(16 * MiB);
  });

  it('resolves, never rejects, when the connection dies mid-body', async () => {
    const r = await classifyFetchResponse('ltx', await fetch(`${base}/cut`));
    expect([r.category, r.code, r.status]).toEqual(['rate_limited', null, 429]);
    expect(r.message).toBe('Rate limit exceeded. (The response body was not read: the connection failed while it was read.)');
  });

  it('says so when the body was already read by the caller', async () => {
    const res = await fetch(`${base}/rate-limited`);
    await res.text();
    const r = await classifyFetchResponse('ltx', res);
    expect([r.category, r.code, r.retryAfterMs]).toEqual(['rate_limited', null, 12_000]);
    expect(r.message).toBe('Rate limit exceeded. (The response body was not read: it was already consumed.)');
  });

  it('stops waiting for a body that stalls, after its time limit, and leaves no timer behind', async () => {
    const before = timers();
    const started = performance.now();
    const r = await classifyFetchResponse('ltx', await fetch(`${base}/stall`), { timeoutMs: 200 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect([r.category, r.code]).toEqual(['server_error', null]);
    expect(r.message).toBe('Unexpected server error. (The response body was not read: it did not arrive within 0.2 s.)');
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('stops when its signal fires, and removes its abort listener', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/stall`);
    const before = timers();
    setTimeout(() => controller.abort(), 50);
    // The default 30 s limit's timer must go with the call.
    const r = await classifyFetchResponse('ltx', res, { signal: controller.signal });
    expect(r.message).toContain('the read was aborted');
    expect(timers()).toBeLessThanOrEqual(before);
    expect(abortListeners(controller.signal)).toBe(0);
    const already = await classifyFetchResponse('ltx', await fetch(`${base}/stall`), { signal: AbortSignal.abort() });
    expect(already.message).toContain('the read was aborted');
  });

  it('is not held up by a stream whose read and cancel never settle', async () => {
    const never = (): Promise<never> => new Promise(() => undefined);
    const body = { getReader: () => ({ read: never, cancel: never, releaseLock: () => undefined }) };
    const r = await classifyFetchResponse('ltx', { status: 503, body } as never, { timeoutMs: 50 });
    expect(r.message).toContain('did not arrive within 0.05 s');
  });

  it.each([
    ['null', null],
    ['a plain object with a text body', { status: 429, body: RATE_LIMITED }],
    ['a proxy that throws on every trap', new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } })],
    ['a body whose reader throws', { status: 500, body: { getReader() { throw new Error('nope'); } } }],
    ['a text() that rejects', { status: 500, text: () => Promise.reject(new Error('nope')) }],
  ])('never rejects on %s', async (_name, response) => {
    const r = await classifyFetchResponse('ltx', response as never);
    expect(r.source).toBe('http');
  });

  it('takes the text of a plain object as classifyResponse would', async () => {
    const r = await classifyFetchResponse('ltx', { status: 429, body: RATE_LIMITED } as never);
    expect(r.code).toBe('rate_limit_error');
  });
});

describe('classifyResponse given what it cannot read', () => {
  it('a fetch Response passed whole: classified by status, and the message says the body was not read', async () => {
    const res = await fetch(`${base}/rate-limited`);
    const r = classifyResponse('ltx', res as never);
    expect([r.category, r.code, r.conforms, r.retryAfterMs, r.requestId]).toEqual(['rate_limited', null, false, 12_000, 'req_42']);
    expect(r.message).toMatch(/^Rate limit exceeded\. \(The response body was not read: .*classifyFetchResponse\.\)$/);
    await res.body?.cancel();
  });

  it('a ReadableStream or a Blob as the body is not mistaken for a parsed body', async () => {
    const res = await fetch(`${base}/rate-limited`);
    const stream = classifyResponse('ltx', { status: res.status, headers: res.headers, body: res.body });
    expect([stream.code, stream.conforms]).toEqual([null, false]);
    expect(stream.message).toContain('not read');
    await res.body?.cancel();
    const blob = classifyResponse('ltx', { status: 429, body: new Blob([RATE_LIMITED]) });
    expect([blob.code, blob.conforms]).toEqual([null, false]);
    expect(blob.message).toContain('not read');
  });

  it.each([
    ['an ArrayBuffer', () => new TextEncoder().encode(RATE_LIMITED).buffer],
    ['a Node Buffer', () => Buffer.from(RATE_LIMITED)],
    ['a DataView', () => new DataView(new TextEncoder().encode(RATE_LIMITED).buffer)],
    ['a Uint8Array over part of a larger buffer', () => { const bytes = new TextEncoder().encode(`xxxx${RATE_LIMITED}yyyy`); return bytes.subarray(4, bytes.length - 4); }],
    ['a SharedArrayBuffer', () => { const bytes = new TextEncoder().encode(RATE_LIMITED); const shared = new SharedArrayBuffer(bytes.length); new Uint8Array(shared).set(bytes); return shared; }],
  ])('bytes as %s are decoded as UTF-8 text', (_name, body) => {
    const r = classifyResponse('ltx', { status: 429, body: body() });
    expect([r.code, r.known, r.conforms]).toEqual(['rate_limit_error', true, true]);
  });
});

describe('task-status Responses', () => {
  const failedJob = { id: 'j1', status: 'failed', error: { type: 'api_error', message: 'Internal server error' } };
  const json = (body: unknown, status = 200): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('classifyTask given a fetch Response never reads it as success: it says it was not read, and where to pass it', () => {
    const result = classifyTask('ltx', json(failedJob));
    expect(result).not.toBeNull();
    expect(result).toMatchObject({ provider: 'ltx', source: 'task', category: 'unknown', retryable: false, code: null, known: false });
    expect(result?.message).toContain('The task body was not read');
    expect(result?.message).toContain('classifyFetchTask');
    // So is a promise of the body, its await forgotten.
    expect(classifyTask('ltx', json(failedJob).json())).toMatchObject({ source: 'task', category: 'unknown' });
    // taskState cannot tell either: not a task body.
    expect(taskState('ltx', json(failedJob))).toBeNull();
  });

  it('classifyFetchTask reads the Response: a failed task, a running one, a failed status request', async () => {
    expect(await classifyFetchTask('ltx', json(failedJob))).toMatchObject({ source: 'task', code: 'api_error', known: true, category: 'server_error', retryable: true });
    expect(await classifyFetchTask('ltx', json({ id: 'j2', status: 'processing' }))).toBeNull();
    expect(await ltx.classifyFetchTask(json({ type: 'error', error: { type: 'not_found_error', message: 'Job not found' } }, 404))).toMatchObject({ source: 'http', status: 404, code: 'not_found_error', category: 'not_found' });
    const cut = new Response(new ReadableStream({ start: (c) => c.error(new Error('reset')) }), { status: 200 });
    expect(await classifyFetchTask('ltx', cut)).toMatchObject({ source: 'task', category: 'unknown' });
    // What is not a task body is never "not failed".
    expect(await classifyFetchTask('ltx', new Response('<html>maintenance</html>', { status: 200 }))).toMatchObject({ source: 'task', category: 'unknown', message: expect.stringContaining('it was not JSON') });
    expect(await classifyFetchTask('ltx', new Response(null, { status: 304 }))).toMatchObject({ category: 'unknown', message: expect.stringContaining('its status was 304') });
    // A provider without tasks has no task body to read; its failed requests are still classified.
    expect(await classifyFetchTask('wubble', json({ success: true }))).toBeNull();
  });
});
