/**
 * Stated waits from more places than Retry-After, each in a named format: Gemini's RetryInfo
 * retryDelay (a protobuf duration) and its "Please retry in 25.4s." message, OpenAI's "try again in
 * 644ms", Anthropic's RFC 3339 reset instants, epoch-second reset headers.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseWait } from '../generator/runtime/waits.js';
import type { WaitFormat } from '../generator/runtime/types.js';
import { generatedPackage, type PackageRoot } from './generic.js';
import { checkDir, diagnosticLines, removeDir, specFolder } from './helpers.js';

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

const FORMATS: readonly WaitFormat[] = ['seconds', 'milliseconds', 'http_retry_after', 'duration', 'timestamp', 'epoch_seconds'];

describe('parseWait', () => {
  it('reads each format, and gives null for garbage, negatives and long values', () => {
    expect(parseWait('seconds', '1.5')).toBe(1500);
    expect(parseWait('seconds', 2)).toBe(2000);
    expect(parseWait('milliseconds', ' 644 ')).toBe(644);
    expect(parseWait('milliseconds', ['250', '900'])).toBe(250);
    expect(parseWait('http_retry_after', '3')).toBe(3000);
    expect(parseWait('duration', '6m0s')).toBe(360_000);
    expect(parseWait('duration', '2m59.56s')).toBeCloseTo(179_560, 6);
    expect(parseWait('duration', '25.465784708s')).toBeCloseTo(25_465.784708, 6);
    expect(parseWait('duration', '644ms')).toBe(644);
    expect(parseWait('duration', '1h')).toBe(3_600_000);
    expect(parseWait('duration', '1500us')).toBeCloseTo(1.5, 9);
    expect(parseWait('duration', '0')).toBe(0);
    for (const bad of ['', 's', '1', '-1s', '1x', '1s2', '1 s', '1.2.3s', '∞s', 'NaNs']) expect(parseWait('duration', bad), bad).toBeNull();
    for (const format of FORMATS) {
      expect(parseWait(format, '-5')).toBeNull();
      expect(parseWait(format, '9'.repeat(65))).toBeNull();
      expect(parseWait(format, null)).toBeNull();
      expect(parseWait(format, { valueOf: () => 5 })).toBeNull();
    }
  });

  it('reads instants as the wait until then, 0 once past', () => {
    const inTenSeconds = new Date(Date.now() + 10_000);
    const rfc3339 = inTenSeconds.toISOString();
    expect(parseWait('timestamp', rfc3339)).toBeGreaterThan(8_000);
    expect(parseWait('timestamp', rfc3339)).toBeLessThanOrEqual(10_000);
    expect(parseWait('timestamp', rfc3339.replace('T', ' ').replace('Z', '+00:00'))).toBeGreaterThan(8_000);
    expect(parseWait('timestamp', rfc3339.replace(/\.\d+Z$/, '.123456789z'))).toBeGreaterThan(8_000);
    expect(parseWait('timestamp', '2025-08-21T12:40:59Z')).toBe(0);
    expect(parseWait('timestamp', '2025-08-21T12:40:59')).toBeNull(); // no zone: not an instant
    expect(parseWait('timestamp', '2025-02-30T12:40:59Z')).toBeNull();
    expect(parseWait('epoch_seconds', String(Math.floor(inTenSeconds.getTime() / 1000) + 1))).toBeGreaterThan(8_000);
    expect(parseWait('epoch_seconds', '1700000000')).toBe(0);
    expect(parseWait('http_retry_after', inTenSeconds.toUTCString())).toBeGreaterThan(8_000);
  });

  it('never throws, and gives a finite wait ≥ 0 or null, for any value', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORMATS), fc.oneof(fc.string(), fc.double(), fc.anything()), (format, value) => {
        const wait = parseWait(format, value);
        return wait === null || (Number.isFinite(wait) && wait >= 0);
      }),
      { numRuns: 3000 },
    );
  });
});

/** A Gemini-style provider: RetryInfo in the body, the same in the message, an epoch reset header. */
const GEMINIISH = `format: 2
provider: geminiish
name: Geminiish
sources:
  docs: { document: docs/errors.md }
layers:
  http:
    envelope:
      title: GeminiishError
      type: object
      properties:
        error:
          type: object
          properties:
            status: { type: string }
            message: { type: string }
            details: { type: array }
    fields: { code: error.status, message: error.message }
    retryAfter:
      - at: "error.details[@type=type.googleapis.com/google.rpc.RetryInfo].retryDelay"
        format: duration
        note: A protobuf Duration, such as 26s.
      - { at: error.message, format: duration, pattern: "please retry in (\\\\d+(?:\\\\.\\\\d+)?m?s)" }
      - { at: header:x-ratelimit-reset, format: epoch_seconds }
      - { at: header:retry-after, format: http_retry_after }
    codes:
      RESOURCE_EXHAUSTED:
        status: 429
        category: rate_limited
        description: A quota was exhausted.
        source: docs
        examples:
          - status: 429
            body:
              error:
                status: RESOURCE_EXHAUSTED
                message: Quota exceeded. Please retry in 25.465784708s.
                details: [{ "@type": type.googleapis.com/google.rpc.RetryInfo, retryDelay: 26s }]
            expect: { category: rate_limited, retryAfterMs: 26000 }
`;

function generated(spec: string): Promise<{ root: PackageRoot; readme: string }> {
  return generatedPackage({ 'geminiish.yaml': spec }, made);
}

describe('stated waits from the places a provider names', () => {
  it('reads them in order, the first that gives a wait winning, and retries after it', async () => {
    const { root, readme } = await generated(GEMINIISH);
    expect(readme).toContain(
      'the stated wait is read from `error.details[@type=type.googleapis.com/google.rpc.RetryInfo].retryDelay` (duration), then `error.message` matching `/please retry in (\\d+(?:\\.\\d+)?m?s)/i` (duration), then `header:x-ratelimit-reset` (epoch seconds), then `header:retry-after` (http retry after)',
    );
    const exhausted = (message: string, details: unknown[], headers: Record<string, string> = {}) =>
      root.classifyResponse('geminiish', { status: 429, headers, body: { error: { status: 'RESOURCE_EXHAUSTED', message, details } } });
    const retryInfo = { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '26s' };
    expect(exhausted('Quota exceeded. Please retry in 25.4s.', [{ '@type': 'other' }, retryInfo]).retryAfterMs).toBe(26_000);
    // No RetryInfo: the message, then the reset header, then Retry-After.
    expect(exhausted('Quota exceeded. PLEASE RETRY IN 644ms.', []).retryAfterMs).toBe(644);
    const reset = String(Math.floor(Date.now() / 1000) + 30);
    expect(exhausted('Quota exceeded.', [], { 'X-RateLimit-Reset': reset, 'retry-after': '5' }).retryAfterMs).toBeGreaterThan(25_000);
    expect(exhausted('Quota exceeded.', [], { 'retry-after': '5' }).retryAfterMs).toBe(5000);
    // retry-after-ms is not among this provider's places.
    expect(exhausted('Quota exceeded.', [], { 'retry-after-ms': '5' }).retryAfterMs).toBeNull();
    // Garbage at an earlier place falls through to the next.
    expect(exhausted('Please retry in soon.', [{ ...retryInfo, retryDelay: 'later' }], { 'retry-after': '7' }).retryAfterMs).toBe(7000);
    const error = exhausted('Please retry in 40s.', []);
    expect(root.retryDelayMs(error, 1, { random: () => 0 })).toBeGreaterThanOrEqual(40_000);
    // A hostile message is read in linear time, and a huge one too.
    expect(exhausted(`please retry in ${'1'.repeat(200_000)}`, []).retryAfterMs).toBeNull();
  });

  it('a place, a pattern that could backtrack and a format are checked where they are written', () => {
    const spec = GEMINIISH.replace('at: header:x-ratelimit-reset', 'at: "header:x ratelimit"')
      .replace('pattern: "please retry in', 'pattern: "(a+)+please retry in')
      .replace('format: epoch_seconds', 'format: epoch_ms');
    const dir = specFolder({ 'geminiish.yaml': spec });
    made.push(dir);
    // The entry whose format the schema refuses is not checked further; the others are.
    expect(diagnosticLines(checkDir(dir))).toEqual([
      "geminiish.yaml:23:57: unsafe regex: it can backtrack for exponential time, e.g. on the attack string 'A' + 'A'.repeat(31); use a regex that cannot backtrack, such as one anchored to the words before the wait",
      'geminiish.yaml:24:45: layers.http.retryAfter.2.format: must be one of: "seconds", "milliseconds", "http_retry_after", "duration", "timestamp", "epoch_seconds"',
    ]);
    const fixedFormat = specFolder({ 'geminiish.yaml': spec.replace('format: epoch_ms', 'format: epoch_seconds') });
    made.push(fixedFormat);
    expect(diagnosticLines(checkDir(fixedFormat))).toContain('geminiish.yaml:24:15: header "header:x ratelimit" cannot be read: "x ratelimit" is not a header name');
  });
});
