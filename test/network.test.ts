/**
 * Real failures from a real server on 127.0.0.1: what fetch (undici) and node:http actually throw
 * and return, classified by the generated package.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection, startServer, type LocalServer } from './helpers.js';
import { classifyException, classifyResponse, retryDelayMs } from '../generated/index.js';

let server: LocalServer;
let base: string;

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url === '/reset') {
      req.socket.destroy();
    } else if (req.url === '/hang') {
      // Never answers; the client's timeout or abort ends the request.
    } else if (req.url === '/busy') {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'concurrency_limit_error', message: 'Concurrency limit exceeded' } }));
    } else if (req.url === '/gateway') {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    } else {
      res.writeHead(404).end();
    }
  });
  base = server.base;
});

afterAll(() => server.close());


describe('fetch', () => {
  it('classifies a real 429 with Retry-After', async () => {
    const res = await fetch(`${base}/busy`);
    const r = classifyResponse('ltx', { status: res.status, headers: res.headers, body: await res.text() });
    expect([r.category, r.code, r.known, r.conforms, r.retryAfterMs]).toEqual(['concurrency_limited', 'concurrency_limit_error', true, true, 2000]);
    expect(retryDelayMs(r, 1, { random: () => 0 })).toBe(2000);
  });
  it('classifies a real HTML 502 from a gateway', async () => {
    const res = await fetch(`${base}/gateway`);
    const r = classifyResponse('evolink', { status: res.status, headers: res.headers, body: await res.text() });
    expect([r.category, r.action, r.conforms, r.code]).toEqual(['upstream_unavailable', 'switch_model', false, null]);
  });
  it('a refused connection is a network error, found through the cause', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const closed = await startServer(() => undefined);
    await closed.close();
    const r = classifyException(await rejection<unknown>(fetch(`${closed.base}/`)), 'ltx');
    expect([r.category, r.code, r.retryable, r.source]).toEqual(['network', 'ECONNREFUSED', true, 'network']);
  });
  it('a reset socket is a network error', async () => {
    const r = classifyException(await rejection<unknown>(fetch(`${base}/reset`)));
    expect(r.category).toBe('network');
    expect(r.retryable).toBe(true);
  });
  it('AbortSignal.timeout gives a timeout', async () => {
    const r = classifyException(await rejection<unknown>(fetch(`${base}/hang`, { signal: AbortSignal.timeout(50) })));
    expect([r.category, r.code, r.retryable]).toEqual(['timeout', 'TimeoutError', true]);
  });
  it('an abort by the caller is cancelled and not retryable', async () => {
    const controller = new AbortController();
    const pending = fetch(`${base}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const r = classifyException(await rejection<unknown>(pending));
    expect([r.category, r.code, r.retryable]).toEqual(['cancelled', 'AbortError', false]);
    expect(retryDelayMs(r, 1)).toBeNull();
  });
});

describe('node:http', () => {
  const get = (path: string, options: { timeout?: number; signal?: AbortSignal } = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const req = request(`${base}${path}`, options, resolve);
      req.on('timeout', () => req.destroy(Object.assign(new Error('socket timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end();
    });
  it('socket hang up (ECONNRESET) is a network error', async () => {
    const r = classifyException(await rejection<unknown>(get('/reset')));
    expect([r.category, r.code]).toEqual(['network', 'ECONNRESET']);
  });
  it('ETIMEDOUT is a timeout', async () => {
    const r = classifyException(await rejection<unknown>(get('/hang', { timeout: 50 })));
    expect([r.category, r.code]).toEqual(['timeout', 'ETIMEDOUT']);
  });
  it('an aborted request is cancelled', async () => {
    const r = classifyException(await rejection<unknown>(get('/hang', { signal: AbortSignal.abort() })));
    expect(r.category).toBe('cancelled');
  });
});
