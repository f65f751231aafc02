/**
 * fetchWithRetry against a scripted provider on 127.0.0.1: every rule of the contract's section 5
 * that concerns sending one request. Waits are recorded through the `sleep` option, except where
 * an abort, a deadline or a timeout is the point: those run on real timers.
 */
import { describe, expect, it, vi } from 'vitest';
import { classifyResponse, createLimiter, fetchWithRetry, isProviderError, ProviderError, retryDelayMs } from '../generated/index.js';
import * as wubble from '../generated/wubble/index.js';
import { abortListeners, ltxError, recordingSleep, rejection, useScriptedServer, type ScriptedServer } from './executor-helpers.js';
import { startServer } from './helpers.js';

let server: ScriptedServer;
let base: string;
useScriptedServer((s) => {
  server = s;
  base = s.base;
});

const busy = { status: 503, body: ltxError('service_unavailable', 'Service temporarily unavailable') };
const ok = { status: 200, body: { ok: true } };

describe('rule 2: the spec decides', () => {
  it('retries a retryable failure after retryDelayMs, and resolves with the first ok response, unread', async () => {
    server.script('/busy', [busy, busy, ok]);
    const { sleep, waits } = recordingSleep();
    const events: unknown[] = [];
    const res = await fetchWithRetry('ltx', `${base}/busy`, undefined, { sleep, random: () => 0, onRetry: (e) => events.push([e.attempt, e.delayMs, e.error.code]) });
    expect([res.status, res.bodyUsed]).toEqual([200, false]);
    expect(await res.json()).toEqual({ ok: true });
    const error = classifyResponse('ltx', { status: 503, body: ltxError('service_unavailable') });
    expect(waits).toEqual([retryDelayMs(error, 1, { random: () => 0 }), retryDelayMs(error, 2, { random: () => 0 })]);
    expect(events).toEqual([[1, waits[0], 'service_unavailable'], [2, waits[1], 'service_unavailable']]);
  });

  it('never retries a failure that is not retryable', async () => {
    server.script('/bad', [{ status: 400, body: ltxError('invalid_request_error', 'prompt is required') }, ok]);
    const error = await rejection(fetchWithRetry('ltx', `${base}/bad`, undefined, { sleep: recordingSleep().sleep }));
    expect(isProviderError(error)).toBe(true);
    expect(error).toBeInstanceOf(ProviderError);
    expect([error.giveUp, error.category, error.code, error.attempts, error.message]).toEqual(['not_retryable', 'invalid_request', 'invalid_request_error', 1, 'prompt is required (gave up: not retryable after 1 request)']);
    expect(server.seen('/bad')).toHaveLength(1);
  });

  it('String(error) says what failed, why the call stopped and how many requests it sent', async () => {
    server.script('/down', [busy]);
    const limiter = createLimiter({ retryBudget: { capacity: 20, retryCost: 5, timeoutCost: 10 } });
    const error = await rejection(fetchWithRetry('ltx', `${base}/down`, undefined, { limiter, sleep: recordingSleep().sleep }));
    expect(String(error)).toBe('ProviderError: Service temporarily unavailable (gave up: retry budget spent after 5 requests)');
    const cancelled = await rejection(fetchWithRetry('ltx', `${base}/down`, undefined, { signal: AbortSignal.abort() }));
    expect(String(cancelled)).toBe('ProviderError: The caller aborted the call. (gave up: cancelled by the caller before any request)');
  });

  it("sends at most the rule's maxAttempts requests, then gives up with max_attempts", async () => {
    server.script('/always-busy', [busy]);
    const { sleep, waits } = recordingSleep();
    const error = await rejection(fetchWithRetry('ltx', `${base}/always-busy`, undefined, { sleep }));
    // LTX's service_unavailable is an overload: maxAttempts 6 in the taxonomy, so 5 retries.
    expect([error.giveUp, error.attempts, server.seen('/always-busy').length, waits.length]).toEqual(['max_attempts', 6, 6, 5]);
    expect(error.totalDelayMs).toBe(waits.reduce((a, b) => a + b, 0));
  });

  it("maxAttempts means requests, the first included, in the spec and as an option alike", async () => {
    // Wubble's 500 says maxAttempts: 3 in its spec: three requests, however the call is made.
    const failing = { status: 500, body: { success: false, data: null, error: { code: 'INTERNAL_ERROR', message: 'boom' } } };
    server.script('/v1/tracks', [failing]);
    const bySpec = await rejection(wubble.fetchWithRetry(`${base}/v1/tracks`, undefined, { sleep: recordingSleep().sleep }));
    expect([bySpec.giveUp, bySpec.attempts, server.seen('/v1/tracks').length]).toEqual(['max_attempts', 3, 3]);
    server.script('/v1/tracks', [failing]);
    const byOption = await rejection(wubble.fetchWithRetry(`${base}/v1/tracks`, undefined, { sleep: recordingSleep().sleep, maxAttempts: 2 }));
    expect([byOption.giveUp, byOption.attempts, server.seen('/v1/tracks').length]).toEqual(['max_attempts', 2, 2]);
  });

  it('maxAttempts can only lower the number of requests', async () => {
    server.script('/always-busy', [busy]);
    const lowered = await rejection(fetchWithRetry('ltx', `${base}/always-busy`, undefined, { sleep: recordingSleep().sleep, maxAttempts: 2 }));
    expect([lowered.giveUp, lowered.attempts]).toEqual(['max_attempts', 2]);
    server.script('/always-busy', [busy]);
    const raised = await rejection(fetchWithRetry('ltx', `${base}/always-busy`, undefined, { sleep: recordingSleep().sleep, maxAttempts: 50 }));
    expect(raised.attempts).toBe(6);
  });

  it.each([
    ['Retry-After in seconds', { 'retry-after': '7' }, 7_000],
    ['Retry-After as an HTTP-date', () => ({ 'retry-after': new Date(Date.now() + 20_000).toUTCString() }), 18_000],
    ['retry-after-ms', { 'retry-after-ms': '2500', 'retry-after': '60' }, 2_500],
  ])('waits at least what %s says', async (_name, headers, least) => {
    const hint = typeof headers === 'function' ? headers() : headers;
    server.script('/limited', [{ status: 429, headers: hint, body: ltxError('rate_limit_error') }, ok]);
    const { sleep, waits } = recordingSleep();
    await fetchWithRetry('ltx', `${base}/limited`, undefined, { sleep, random: () => 0 });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(least);
  });

  it('does not start a wait that would end past the deadline: it rejects at once', async () => {
    server.script('/slow-down', [{ status: 429, headers: { 'retry-after': '30' }, body: ltxError('rate_limit_error') }, ok]);
    const started = performance.now();
    const error = await rejection(fetchWithRetry('ltx', `${base}/slow-down`, undefined, { deadlineMs: 5_000 }));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect([error.giveUp, error.category, error.retryAfterMs, error.attempts]).toEqual(['deadline', 'rate_limited', 30_000, 1]);
  });

  it('aborts a request still in flight at the deadline, as a timeout', async () => {
    server.script('/hang', ['hang']);
    const started = performance.now();
    const error = await rejection(fetchWithRetry('ltx', `${base}/hang`, undefined, { deadlineMs: 150 }));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect([error.giveUp, error.category, error.source]).toEqual(['deadline', 'timeout', 'network']);
  });

  it('times out each attempt after attemptTimeoutMs; a GET is then retried', async () => {
    server.script('/hang-then-ok', ['hang', ok]);
    const { sleep, waits } = recordingSleep();
    const res = await fetchWithRetry('ltx', `${base}/hang-then-ok`, undefined, { attemptTimeoutMs: 100, sleep });
    expect(res.status).toBe(200);
    expect(waits).toHaveLength(1);
  });
});

describe('rule 1: every rejection is a ProviderError; an abort sends nothing more', () => {
  it('an already-aborted signal sends nothing at all', async () => {
    server.script('/never', [ok]);
    const reason = new Error('not now');
    const error = await rejection(fetchWithRetry('ltx', `${base}/never`, undefined, { signal: AbortSignal.abort(reason) }));
    expect([error.giveUp, error.category, error.retryable, error.cause, error.attempts]).toEqual(['cancelled', 'cancelled', false, reason, 0]);
    expect(server.seen('/never')).toHaveLength(0);
  });

  it('an abort in flight rejects within 10 ms and leaves no listener', async () => {
    server.script('/hang', ['hang']);
    const controller = new AbortController();
    const call = rejection(fetchWithRetry('ltx', `${base}/hang`, undefined, { signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const abortedAt = performance.now();
    controller.abort();
    const error = await call;
    expect(performance.now() - abortedAt).toBeLessThan(10);
    expect([error.giveUp, error.category]).toEqual(['cancelled', 'cancelled']);
    expect((error.cause as Error).name).toBe('AbortError');
    expect(abortListeners(controller.signal)).toBe(0);
    expect(server.seen('/hang')).toHaveLength(1);
  });

  it('an abort during a wait ends the wait at once, sends nothing more, and leaves no timer', async () => {
    server.script('/busy-long', [{ status: 429, headers: { 'retry-after': '30' }, body: ltxError('rate_limit_error') }, ok]);
    const controller = new AbortController();
    const call = rejection(fetchWithRetry('ltx', `${base}/busy-long`, undefined, { signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const abortedAt = performance.now();
    controller.abort('user left');
    const error = await call;
    expect(performance.now() - abortedAt).toBeLessThan(10);
    expect([error.giveUp, error.category, error.cause]).toEqual(['cancelled', 'cancelled', 'user left']);
    expect(server.seen('/busy-long')).toHaveLength(1);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('30 calls sharing one signal, or none, add one listener to it at most, and Node warns of no leak', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const shared = new AbortController();
      const paths = Array.from({ length: 30 }, (_, i) => `/shared-${i}`);
      for (const path of paths) server.script(path, [busy, busy, ok]);
      const calls = paths.flatMap((path) => [
        fetchWithRetry('ltx', `${base}${path}`, undefined, { signal: shared.signal }),
        fetchWithRetry('ltx', `${base}${path}`),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(abortListeners(shared.signal)).toBe(1);
      await Promise.allSettled(calls);
      await new Promise((resolve) => setImmediate(resolve));
      expect(abortListeners(shared.signal)).toBe(0);
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('an abort wins even over a sleep that ignores its signal', async () => {
    server.script('/busy', [busy, ok]);
    const controller = new AbortController();
    const stubborn = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 300)));
    const call = rejection(fetchWithRetry('ltx', `${base}/busy`, undefined, { signal: controller.signal, sleep: stubborn }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    expect((await call).giveUp).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.seen('/busy')).toHaveLength(1);
  });

  it('a network error is classified and kept as the cause', async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const error = await rejection(fetchWithRetry('ltx', `${closed.base}/x`, undefined, { sleep: recordingSleep().sleep }));
    expect([error.source, error.category, error.code, error.giveUp]).toEqual(['network', 'network', 'ECONNREFUSED', 'max_attempts']);
    expect((error.cause as Error).message).toBe('fetch failed');
  });

  it('HTML error pages from a gateway are classified by status', async () => {
    server.script('/gateway', [{ status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }, ok]);
    const res = await fetchWithRetry('evolink', `${base}/gateway`, undefined, { sleep: recordingSleep().sleep });
    expect(res.status).toBe(200);
  });
});

describe('rule 3: no double billing', () => {
  const post = { method: 'POST', body: JSON.stringify({ prompt: 'a cat' }) };

  it.each([
    ['a reset after the body was read', 'reset-after-body' as const],
    ['a reset before the body was read', 'reset-before-body' as const],
    ['a server error', { status: 500, body: ltxError('api_error') }],
  ])('a POST to a provider without an idempotency header is not resent after %s', async (_name, reply) => {
    server.script('/generate', [reply, ok]);
    const error = await rejection(fetchWithRetry('ltx', `${base}/generate`, post, { sleep: recordingSleep().sleep }));
    expect([error.giveUp, error.retryable, error.attempts]).toEqual(['not_idempotent', true, 1]);
    expect(server.seen('/generate')).toHaveLength(1);
  });

  it.each([
    ['a rate limit', { status: 429, body: ltxError('rate_limit_error') }],
    ['a concurrency limit', { status: 429, body: ltxError('concurrency_limit_error') }],
    ['an overload', busy],
  ])('a POST is resent after %s, which proves it was not processed', async (_name, reply) => {
    server.script('/generate', [reply, ok]);
    const res = await fetchWithRetry('ltx', `${base}/generate`, post, { sleep: recordingSleep().sleep });
    expect(res.status).toBe(200);
    expect(server.seen('/generate').map((s) => s.body)).toEqual([post.body, post.body]);
  });

  it('a POST is resent after a refused connection: nothing was sent', async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const { sleep, waits } = recordingSleep();
    const error = await rejection(fetchWithRetry('ltx', `${closed.base}/generate`, post, { sleep }));
    expect([error.code, error.giveUp, waits.length]).toEqual(['ECONNREFUSED', 'max_attempts', 4]);
  });

  it('retryUnsafe resends a POST anyway', async () => {
    server.script('/generate', ['reset-after-body', ok]);
    const res = await fetchWithRetry('ltx', `${base}/generate`, post, { sleep: recordingSleep().sleep, retryUnsafe: true });
    expect([res.status, server.seen('/generate').length]).toEqual([200, 2]);
  });

  it.each(['GET', 'PUT', 'DELETE'])('a %s is retried on any retryable failure', async (method) => {
    server.script('/thing', [{ status: 500, body: ltxError('api_error') }, 'reset-after-body', ok]);
    const res = await fetchWithRetry('ltx', `${base}/thing`, { method }, { sleep: recordingSleep().sleep });
    expect([res.status, server.seen('/thing').length]).toEqual([200, 3]);
  });

  it('Wubble: one fresh Idempotency-Key per call, the same on every attempt, and the POST is resent', async () => {
    server.script('/v1/music', [{ status: 500, body: { success: false, data: null, error: { code: 'INTERNAL', message: 'x' } } }, 'reset-after-body', ok]);
    await wubble.fetchWithRetry(`${base}/v1/music`, post, { sleep: recordingSleep().sleep });
    const first = server.seen('/v1/music').map((s) => s.headers['idempotency-key']);
    expect(first).toHaveLength(3);
    expect(new Set(first).size).toBe(1);
    expect(first[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    server.script('/v1/music', [ok]);
    await wubble.fetchWithRetry(`${base}/v1/music`, post);
    expect(server.seen('/v1/music')[0]!.headers['idempotency-key']).not.toBe(first[0]);
  });

  it("Wubble: the caller's own key is kept, as a header or the idempotencyKey option", async () => {
    server.script('/v1/music', [ok]);
    await wubble.fetchWithRetry(`${base}/v1/music`, { ...post, headers: { 'idempotency-key': 'mine-1' } });
    await wubble.fetchWithRetry(`${base}/v1/music`, post, { idempotencyKey: 'mine-2' });
    await wubble.fetchWithRetry(new Request(`${base}/v1/music`, { ...post, headers: { 'Idempotency-Key': 'mine-3' } }));
    expect(server.seen('/v1/music').map((s) => s.headers['idempotency-key'])).toEqual(['mine-1', 'mine-2', 'mine-3']);
  });

  it('Wubble: idempotencyKey false sends no key, and the POST is then not resent', async () => {
    server.script('/v1/music', ['reset-after-body', ok]);
    const error = await rejection(wubble.fetchWithRetry(`${base}/v1/music`, post, { idempotencyKey: false, sleep: recordingSleep().sleep }));
    expect(error.giveUp).toBe('not_idempotent');
    expect(server.seen('/v1/music')[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it("a key proves nothing to a provider that declares no idempotency header: the option is a usage error, and the caller's header changes nothing", async () => {
    server.script('/generate', ['reset-after-body', ok]);
    await expect(fetchWithRetry('ltx', `${base}/generate`, post, { idempotencyKey: 'k' })).rejects.toThrow(TypeError);
    expect(server.seen('/generate')).toHaveLength(0);
    const error = await rejection(fetchWithRetry('ltx', `${base}/generate`, { ...post, headers: { 'Idempotency-Key': 'k' } }, { sleep: recordingSleep().sleep }));
    expect(error.giveUp).toBe('not_idempotent');
  });
});

describe('rule 4: nothing leaks, and a stream is sent once', () => {
  it("reads at most 1 MiB of a failed response's body, and keeps 2 KiB of it", async () => {
    server.script('/huge', [{ status: 400, body: `{"type":"error","error":{"type":"invalid_request_error","message":"${'x'.repeat(3 << 20)}"}}` }]);
    const error = await rejection(fetchWithRetry('ltx', `${base}/huge`));
    expect([error.category, error.conforms]).toEqual(['invalid_request', false]);
    expect((error.body as string).length).toBe(2048);
  });

  it('a stream body is sent once, even where a resend would be safe', async () => {
    server.script('/v1/music', [{ status: 500, body: { success: false, data: null, error: { code: 'INTERNAL', message: 'x' } } }, ok]);
    const body = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('{"prompt":"x"}')), c.close()) });
    const error = await rejection(wubble.fetchWithRetry(`${base}/v1/music`, { method: 'POST', body, duplex: 'half' } as RequestInit));
    expect([error.giveUp, error.attempts]).toEqual(['max_attempts', 1]);
    expect(server.seen('/v1/music').map((s) => s.body)).toEqual(['{"prompt":"x"}']);
  });

  it('a Request input is cloned for each attempt, so its body goes out every time', async () => {
    server.script('/generate', [busy, ok]);
    const request = new Request(`${base}/generate`, { method: 'POST', body: 'payload' });
    await fetchWithRetry('ltx', request, undefined, { sleep: recordingSleep().sleep });
    expect(server.seen('/generate').map((s) => s.body)).toEqual(['payload', 'payload']);
    expect(request.bodyUsed).toBe(false);
  });
});

describe('usage errors are TypeErrors, before anything is sent', () => {
  it.each([
    ['an unknown provider', () => fetchWithRetry('no-such-provider' as never, `${base}/x`)],
    ['an unknown option', () => fetchWithRetry('ltx', `${base}/x`, undefined, { retries: 3 } as never)],
    ['a maxAttempts of 0', () => fetchWithRetry('ltx', `${base}/x`, undefined, { maxAttempts: 0 })],
    ['a negative deadline', () => fetchWithRetry('ltx', `${base}/x`, undefined, { deadlineMs: -1 })],
    ['a maxDelayMs that is not a number of milliseconds', () => fetchWithRetry('ltx', `${base}/x`, undefined, { maxDelayMs: '5s' as never })],
    ['a signal that is not one', () => fetchWithRetry('ltx', `${base}/x`, undefined, { signal: {} as AbortSignal })],
    ['an empty idempotency key', () => wubble.fetchWithRetry(`${base}/x`, { method: 'POST' }, { idempotencyKey: '' })],
  ])('%s', async (_name, call) => {
    server.script('/x', [ok]);
    const error = await rejection(call());
    expect(error).toBeInstanceOf(TypeError);
    expect(isProviderError(error)).toBe(false);
    expect(server.seen('/x')).toHaveLength(0);
  });
});

describe('ProviderError', () => {
  it('logs as JSON without the request headers, and is recognised across copies of the package', async () => {
    server.script('/bad', [{ status: 401, body: ltxError('authentication_error', 'Invalid key') }]);
    const error = await rejection(fetchWithRetry('ltx', `${base}/bad`, { headers: { authorization: 'Bearer secret-key' } }));
    const logged = JSON.stringify(error);
    expect(logged).not.toContain('secret-key');
    expect(JSON.parse(logged)).toMatchObject({ name: 'ProviderError', category: 'authentication', giveUp: 'not_retryable', attempts: 1, status: 401 });
    const copy = (await import('../generated/runtime.js?another-copy' as string)) as typeof import('../generated/runtime.js');
    expect(copy.ProviderError).not.toBe(ProviderError);
    expect(copy.isProviderError(error)).toBe(true);
    expect(isProviderError({ name: 'ProviderError' })).toBe(false);
    expect(isProviderError(new Proxy({}, { get() { throw new Error('trap'); } }))).toBe(false);
  });
});

describe('waits', () => {
  it('a wait or deadline longer than a timer can hold runs as several timers, none over 2^31-1 ms, and ends on time', async () => {
    const { CallScope } = await import('../generated/executor.js');
    vi.useFakeTimers();
    try {
      const spy = vi.spyOn(globalThis, 'setTimeout');
      const long = 2 ** 31 + 5_000;
      const scope = new CallScope([], long + 10_000);
      let done = false;
      const wait = scope.wait(long, null).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
      expect([done, scope.stoppedBy]).toEqual([false, null]);
      await vi.advanceTimersByTimeAsync(5_001);
      await wait;
      expect([done, scope.stoppedBy]).toEqual([true, null]);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(scope.stoppedBy).toBe('deadline');
      const delays = spy.mock.calls.map(([, ms]) => ms as number);
      expect(Math.max(...delays)).toBe(2 ** 31 - 1);
      expect(delays).toContain(5_001);
      scope.dispose();
    } finally {
      vi.restoreAllMocks();
      vi.useRealTimers();
    }
  });
});

describe('waits the server states, and ceilings', () => {
  const evolinkError = (type: string, code: number) => ({ error: { code, message: type, type } });

  it("a stated wait is the wait, plus at most 10 %, whatever the rule's schedule; a documented minimum still holds", async () => {
    // Evolink's rules start from 5 s (a default read off an example): a server's 2 s is not stretched by it.
    server.script('/limited', [{ status: 429, headers: { 'retry-after': '2' }, body: evolinkError('rate_limit_error', 429) }, ok]);
    const fast = recordingSleep();
    await fetchWithRetry('evolink', `${base}/limited`, undefined, { sleep: fast.sleep, random: () => 0.5 });
    expect(fast.waits).toEqual([2100]);
    // Its 503 states "retry after 30 seconds": a shorter Retry-After does not shorten that.
    server.script('/busy', [{ status: 503, headers: { 'retry-after': '2' }, body: evolinkError('service_unavailable_error', 503) }, ok]);
    const slow = recordingSleep();
    await fetchWithRetry('evolink', `${base}/busy`, undefined, { sleep: slow.sleep, random: () => 0 });
    expect(slow.waits).toEqual([30_000]);
  });

  it("a stated wait past the rule's ceiling ends the call with max_delay, before any wait", async () => {
    server.script('/days', [{ status: 429, headers: { 'retry-after': '277403' }, body: ltxError('rate_limit_error', 'Too many requests') }, ok]);
    const { sleep, waits } = recordingSleep();
    const error = await rejection(fetchWithRetry('ltx', `${base}/days`, undefined, { sleep }));
    expect([error.giveUp, error.attempts, error.retryAfterMs, waits]).toEqual(['max_delay', 1, 277_403_000, []]);
    expect(error.message).toBe("Too many requests (gave up: the wait needed is longer than maxDelayMs or the spec's ceiling on stated waits after 1 request)");
    expect(server.seen('/days')).toHaveLength(1);
  });

  it('maxDelayMs: a wait the rule needs past it ends the call at once, never a retry sooner', async () => {
    server.script('/busy', [busy, ok]);
    const { sleep, waits } = recordingSleep();
    const error = await rejection(fetchWithRetry('ltx', `${base}/busy`, undefined, { sleep, maxDelayMs: 1000, random: () => 0 }));
    expect([error.giveUp, error.attempts, waits]).toEqual(['max_delay', 1, []]);
    // Within it, the call goes on as the spec says.
    server.script('/busy', [busy, ok]);
    const res = await fetchWithRetry('ltx', `${base}/busy`, undefined, { sleep, maxDelayMs: 60_000, random: () => 0 });
    expect(res.status).toBe(200);
    expect(waits).toHaveLength(1);
  });
});

describe('found in review', () => {
  const post = { method: 'POST', body: '{}' };

  it('a POST that was redirected is not resent on what the redirect target says: its first hop may have been processed', async () => {
    server.script('/generate', [{ status: 303, headers: { location: '/result' } }, ok]);
    server.script('/result', [busy]);
    const error = await rejection(fetchWithRetry('ltx', `${base}/generate`, post, { sleep: recordingSleep().sleep }));
    expect([error.giveUp, error.category]).toEqual(['not_idempotent', 'overloaded']);
    expect(server.seen('/generate')).toHaveLength(1);
  });

  it('Wubble: an empty Idempotency-Key header is replaced with a real key', async () => {
    server.script('/v1/music', [{ status: 500, body: { success: false, data: null, error: { code: 'INTERNAL', message: 'x' } } }, ok]);
    await wubble.fetchWithRetry(`${base}/v1/music`, { ...post, headers: { 'Idempotency-Key': ' ' } }, { sleep: recordingSleep().sleep });
    const keys = server.seen('/v1/music').map((s) => s.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it("a Request's own signal stops the call, in a wait and with attemptTimeoutMs", async () => {
    server.script('/busy', [busy]);
    for (const options of [{}, { attemptTimeoutMs: 300 }]) {
      const controller = new AbortController();
      const call = rejection(fetchWithRetry('ltx', new Request(`${base}/busy`, { signal: controller.signal }), undefined, options));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const abortedAt = performance.now();
      controller.abort();
      const error = await call;
      expect(performance.now() - abortedAt).toBeLessThan(10);
      expect(error.giveUp).toBe('cancelled');
    }
    expect(server.seen('/busy')).toHaveLength(2);
  });

  it('a transport that ignores the signal still cannot hold an aborted call', async () => {
    const never = (): Promise<Response> => new Promise(() => undefined);
    const controller = new AbortController();
    const call = rejection(fetchWithRetry('ltx', `${base}/x`, undefined, { signal: controller.signal, fetch: never }));
    controller.abort();
    expect((await call).giveUp).toBe('cancelled');
  });

  it('not an http(s) URL: a TypeError, nothing sent and nothing retried', async () => {
    await expect(fetchWithRetry('ltx', 'not a url')).rejects.toThrow(TypeError);
    await expect(fetchWithRetry('ltx', 'ftp://127.0.0.1/file')).rejects.toThrow('only http and https URLs can be sent, not ftp:');
  });

  it("a caller's sleep that rejects stops the call as the caller's cancellation, not a deadline", async () => {
    server.script('/busy', [busy, ok]);
    const refusal = new Error('no sleeping');
    const error = await rejection(fetchWithRetry('ltx', `${base}/busy`, undefined, { sleep: () => Promise.reject(refusal) }));
    expect([error.giveUp, error.category, error.cause]).toEqual(['cancelled', 'cancelled', refusal]);
  });

  it('logs at most 2 KiB of the message and of the body, counted in bytes', async () => {
    server.script('/bad', [{ status: 400, body: ltxError('invalid_request_error', 'é'.repeat(50_000)) }]);
    const error = await rejection(fetchWithRetry('ltx', `${base}/bad`));
    const logged = JSON.parse(JSON.stringify(error)) as { message: string; body: string };
    expect(Buffer.byteLength(logged.message)).toBeLessThanOrEqual(2048);
    expect(Buffer.byteLength(logged.body)).toBeLessThanOrEqual(2048);
    expect(logged.message).toBe('é'.repeat(1024));
  });
});
