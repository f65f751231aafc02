/**
 * Properties of fetchWithRetry over scripted response sequences from a real server: whatever the
 * provider answers, the call sends no more than the spec allows, never retries what is not
 * retryable, never resends a POST that may have been processed, keeps its waits within the
 * deadline, and settles.
 */
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { classifyResponse, fetchWithRetry, isProviderError, type ProviderId } from '../generated/index.js';
import { ltxError, recordingSleep, scriptedServer, type Reply, type ScriptedServer } from './executor-helpers.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await scriptedServer();
});
afterAll(() => server.close());

/** Replies a provider may give; `ambiguous` ones leave a POST's fate unknown. */
const REPLIES: { reply: Reply; ambiguous: boolean }[] = [
  { reply: { status: 200, body: { ok: true } }, ambiguous: false },
  { reply: { status: 400, body: ltxError('invalid_request_error') }, ambiguous: false },
  { reply: { status: 404, body: ltxError('not_found_error') }, ambiguous: false },
  { reply: { status: 429, headers: { 'retry-after': '1' }, body: ltxError('rate_limit_error') }, ambiguous: false },
  { reply: { status: 429, body: ltxError('concurrency_limit_error') }, ambiguous: false },
  { reply: { status: 503, body: ltxError('service_unavailable') }, ambiguous: false },
  { reply: { status: 500, body: ltxError('api_error') }, ambiguous: true },
  { reply: { status: 502, body: '<html>bad gateway</html>' }, ambiguous: true },
  { reply: { status: 504, body: '' }, ambiguous: true },
  { reply: 'reset-after-body', ambiguous: true },
];

/** The largest number of requests any rule of the shipped taxonomy allows: 6 retries, plus the first. */
const MOST_REQUESTS = 7;

const scenario = fc.record({
  provider: fc.constantFrom<ProviderId>('ltx', 'wubble'),
  method: fc.constantFrom('GET', 'POST'),
  replies: fc.array(fc.integer({ min: 0, max: REPLIES.length - 1 }), { minLength: 1, maxLength: 9 }),
  maxAttempts: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  // Long enough for any request to arrive: the property is about waits; a request cut short is tested elsewhere.
  deadlineMs: fc.option(fc.integer({ min: 2_000, max: 120_000 }), { nil: undefined }),
  random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
});

let run = 0;

describe('fetchWithRetry over scripted replies', () => {
  test.prop([scenario], { numRuns: 150 })('keeps every promise of rules 1-3, whatever the replies', async ({ provider, method, replies, maxAttempts, deadlineMs, random }) => {
    const path = `/scenario/${run++}`;
    const script = replies.map((i) => REPLIES[i]!);
    server.script(path, script.map((s) => s.reply));
    const { sleep, waits } = recordingSleep();
    let outcome: unknown;
    let hung: ReturnType<typeof setTimeout> | undefined;
    const settled = await Promise.race([
      fetchWithRetry(provider, `${server.base}${path}`, { method, body: method === 'POST' ? '{}' : undefined }, { sleep, random: () => random, maxAttempts, deadlineMs, idempotencyKey: provider === 'wubble' ? false : undefined }).then(
        (res) => (outcome = res),
        (error: unknown) => (outcome = error),
      ),
      new Promise((resolve) => (hung = setTimeout(() => resolve('hung'), 10_000))),
    ]);
    clearTimeout(hung);
    expect(settled).not.toBe('hung');
    const sent = server.seen(path).length;
    // The last scripted reply repeats; this is the reply each request got.
    const got = (n: number) => script[Math.min(n, script.length - 1)]!;

    expect(sent).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThanOrEqual(Math.min(MOST_REQUESTS, maxAttempts ?? Infinity));
    for (let n = 0; n < sent - 1; n++) {
      const reply = got(n).reply;
      // Nothing after a success, nor after a failure that is not retryable.
      if (typeof reply === 'object') {
        expect(reply.status).not.toBe(200);
        expect(classifyResponse(provider, { status: reply.status, headers: reply.headers, body: reply.body }).retryable).toBe(true);
      }
      // A POST without a key is never sent again after a failure that leaves its fate unknown.
      if (method === 'POST') expect(got(n).ambiguous).toBe(false);
    }
    if (deadlineMs !== undefined) expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(deadlineMs);
    if (outcome instanceof Response) {
      expect(outcome.ok).toBe(true);
      await outcome.body?.cancel();
    } else {
      expect(isProviderError(outcome)).toBe(true);
    }
  });
});
