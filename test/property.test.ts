/**
 * Property-based tests (fast-check) over the generated API: arbitrary JSON, strings, statuses and
 * headers, plus hostile objects. None of the four functions may throw, every result keeps the
 * contract's shape, and retryDelayMs keeps every promise of contract rule 5.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  classifyException,
  classifyResponse,
  classifyTask,
  providerIds,
  retryDelayMs,
  type ClassifiedError,
  type ProviderId,
} from '../generated/index.js';
import { categoryInfo, actionInfo, taxonomy } from '../generated/taxonomy.js';
import type { RetryRule } from '../generated/index.js';
import { loadPackage, ruleOf as ruleIn } from './generic.js';
import { checkDir, GENERATED_DIR, SPEC_DIR } from './helpers.js';

const pkg = await loadPackage(GENERATED_DIR, checkDir(SPEC_DIR).model!);

const RUNS = 300;

/** The rule an error without a declared code retries by, read from the generated tables. */
function ruleOf(error: ClassifiedError): RetryRule {
  return ruleIn(pkg, (category) => taxonomy.categories.get(category as never)?.retry ?? null, error)!;
}
const KEYS = ['action', 'category', 'code', 'conforms', 'known', 'message', 'param', 'provider', 'requestId', 'retryAfterMs', 'retryable', 'source', 'status', 'subtype', 'suggestion'];

function expectShape(r: ClassifiedError, source: ClassifiedError['source']): void {
  expect(Object.keys(r).sort()).toEqual(KEYS);
  expect(r.source).toBe(source);
  expect(r.provider === null || providerIds.includes(r.provider)).toBe(true);
  expect(categoryInfo.has(r.category)).toBe(true);
  expect(actionInfo.has(r.action)).toBe(true);
  expect(typeof r.retryable).toBe('boolean');
  expect(typeof r.known).toBe('boolean');
  expect(typeof r.conforms).toBe('boolean');
  expect(typeof r.message).toBe('string');
  for (const key of ['code', 'param', 'subtype', 'suggestion', 'requestId'] as const) expect(r[key] === null || typeof r[key] === 'string').toBe(true);
  expect(r.status === null || (Number.isInteger(r.status) && r.status >= 100 && r.status <= 599)).toBe(true);
  expect(r.retryAfterMs === null || (Number.isFinite(r.retryAfterMs) && r.retryAfterMs >= 0)).toBe(true);
  if (r.known) expect(r.code).not.toBeNull();
}

/**
 * Hostile values JSON cannot hold: a throwing getter, a proxy that throws on every trap, a cyclic
 * object, and others. fast-check inspects generated values, so the arbitraries produce a marker
 * and each property builds the real value with `real()`.
 */
const HOSTILE = {
  getter: () => Object.defineProperty({}, 'error', { enumerable: true, get() { throw new Error('getter'); } }),
  proxy: () =>
    new Proxy({}, {
      get() { throw new Error('trap'); },
      has() { throw new Error('trap'); },
      ownKeys() { throw new Error('trap'); },
      getPrototypeOf() { throw new Error('trap'); },
      getOwnPropertyDescriptor() { throw new Error('trap'); },
    }),
  cyclic: () => { const o: Record<string, unknown> = {}; o.error = o; o.type = o; o.cause = o; return o; },
  symbol: () => Symbol('s'),
  bigint: () => 10n,
  function: () => () => 'function',
  map: () => new Map([['error', 1]]),
  nullPrototype: () => Object.create(null) as object,
  huge: () => 'x'.repeat(5_000_000),
  deep: () => '['.repeat(100_000) + ']'.repeat(100_000),
  bytes: () => new Uint8Array([0xff, 0xfe, 0x7b]),
} as const;
type HostileKind = keyof typeof HOSTILE;
const MARK = '__errspec_hostile__';
const hostile = fc.constantFrom(...(Object.keys(HOSTILE) as HostileKind[])).map((kind) => ({ [MARK]: kind }));

/** Replaces hostile markers with the values they stand for. */
function real<T>(value: T): T {
  if (typeof value === 'object' && value !== null && MARK in value) return HOSTILE[(value as Record<string, HostileKind>)[MARK]!]() as T;
  return value;
}

const provider = fc.constantFrom<ProviderId>(...providerIds);
const anyValue = fc.oneof(fc.jsonValue(), fc.string(), fc.json(), hostile, fc.anything());
const status = fc.oneof(fc.integer({ min: 100, max: 599 }), fc.integer(), fc.double(), fc.constantFrom<unknown>(null, undefined, '503', 'abc', NaN, Infinity));
const headerValue = fc.oneof(fc.string(), fc.nat().map(String), fc.double().map(String), fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toUTCString())), fc.array(fc.string()), fc.integer());
const headerName = fc.constantFrom('retry-after', 'Retry-After', 'RETRY-AFTER', 'retry-after-ms', 'x-request-id', 'content-type');
const headers = fc.oneof(
  fc.dictionary(headerName, headerValue),
  fc.dictionary(headerName, fc.string()).map((d) => new Headers(Object.entries(d).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v)))),
  hostile,
  fc.constant(undefined),
);

/** A realistic body for a provider, with any declared or undeclared code in it. */
const codeValue = fc.oneof(
  fc.constantFrom('invalid_request_error', 'rate_limit_error', 'content_policy_violation', 'CONCURRENT_GENERATION_LIMIT', 'api_error', 'service_error', '__proto__', 'constructor', 'toString'),
  fc.string(),
);
const realisticBody = fc.tuple(codeValue, fc.string(), fc.boolean()).map(([code, message, asText]) => {
  const body = { type: 'error', success: false, data: null, error: { code, type: code, message, param: 'prompt' } };
  return asText ? JSON.stringify(body) : body;
});

describe('classifyResponse', () => {
  test.prop([provider, status, headers, fc.oneof(anyValue, realisticBody)], { numRuns: RUNS })('never throws and keeps the contract shape', (p, s, h, body) => {
    expectShape(classifyResponse(p, { status: s as number, headers: real(h) as never, body: real(body) }), 'http');
  });
  test.prop([anyValue], { numRuns: 100 })('survives any response object, and any provider id', (response) => {
    expectShape(classifyResponse('evolink', real(response) as never), 'http');
    // Any string as a provider id; String() itself throws on some values, such as { toString: 0 }.
    const id = typeof response === 'string' ? response.slice(0, 20) : typeof response;
    expectShape(classifyResponse(id as ProviderId, { status: 500 }), 'http');
  });
});

describe('classifyTask', () => {
  test.prop([provider, fc.oneof(anyValue, realisticBody.map((b) => (typeof b === 'string' ? b : { status: 'failed', ...b })))], { numRuns: RUNS })(
    'never throws; null or a task-sourced result',
    (p, task) => {
      const r = classifyTask(p, real(task));
      if (r !== null) expectShape(r, 'task');
    },
  );
});

describe('classifyException', () => {
  const thrown = fc.oneof(
    anyValue,
    fc.tuple(fc.string(), fc.constantFrom('ECONNRESET', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'nope', ''), fc.constantFrom('AbortError', 'TimeoutError', 'TypeError', 'Error')).map(([message, code, name]) => {
      const error = new Error(message, { cause: Object.assign(new Error('cause'), { code }) });
      error.name = name;
      return error;
    }),
  );
  test.prop([thrown, fc.option(provider, { nil: undefined })], { numRuns: RUNS })('never throws and is always network-sourced', (error, p) => {
    const r = classifyException(real(error), p);
    expectShape(r, 'network');
    expect(r.status).toBeNull();
  });
});

describe('retryDelayMs', () => {
  const retryable = fc.tuple(provider, fc.constantFrom(408, 429, 500, 502, 503, 504), fc.option(fc.oneof(fc.nat({ max: 600 }).map(String), fc.string()), { nil: undefined }))
    .map(([p, s, after]) => classifyResponse(p, { status: s, headers: after === undefined ? {} : { 'retry-after': after } }));
  const anyError = fc.oneof(retryable, fc.tuple(provider, status, fc.dictionary(headerName, headerValue), fc.oneof(fc.jsonValue(), realisticBody)).map(([p, s, h, b]) => classifyResponse(p, { status: s as number, headers: h, body: b })));
  const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

  test.prop([anyError, fc.integer({ min: -5, max: 50 }), random], { numRuns: RUNS })('is null or finite and ≥ 0; null when not retryable', (error, attempt, r) => {
    const delay = retryDelayMs(error, attempt, { random: () => r });
    if (!error.retryable) expect(delay).toBeNull();
    if (delay !== null) {
      expect(Number.isFinite(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(0);
    }
  });

  test.prop([retryable, fc.integer({ min: 1, max: 10 }), random], { numRuns: RUNS })('is never below a usable Retry-After of up to 60 s', (error, attempt, r) => {
    const delay = retryDelayMs(error, attempt, { random: () => r });
    if (delay !== null && error.retryAfterMs !== null && error.retryAfterMs <= 60_000) expect(delay).toBeGreaterThanOrEqual(error.retryAfterMs);
  });

  test.prop([retryable, fc.integer({ min: 1, max: 10 }), random], { numRuns: RUNS })("stays within the larger of the rule's maximum and the honoured hint", (error, attempt, r) => {
    const delay = retryDelayMs(error, attempt, { random: () => r });
    const rule = ruleOf(error);
    const honoured = error.retryAfterMs === null ? 0 : Math.min(error.retryAfterMs, rule.retryAfterCapMs);
    if (delay !== null) expect(delay).toBeLessThanOrEqual(Math.max(rule.maxMs, honoured));
    const unjittered = retryDelayMs(error, attempt, { random: () => 0 });
    if (delay !== null && unjittered !== null) expect(delay).toBeGreaterThanOrEqual(unjittered);
  });

  test.prop([anyError, fc.integer({ min: 1, max: 20 }), random], { numRuns: RUNS })('does not shrink as attempt grows, for a fixed random', (error, attempt, r) => {
    const options = { random: () => r };
    const now = retryDelayMs(error, attempt, options);
    const next = retryDelayMs(error, attempt + 1, options);
    if (now !== null && next !== null) expect(next).toBeGreaterThanOrEqual(now);
    if (now === null && error.retryable) expect(next).toBeNull();
  });

  test.prop([anyError, fc.integer({ min: 1, max: 20 }), random], { numRuns: RUNS })('is deterministic for a fixed random', (error, attempt, r) => {
    expect(retryDelayMs(error, attempt, { random: () => r })).toBe(retryDelayMs(error, attempt, { random: () => r }));
  });

  test.prop([fc.oneof(anyValue, hostile), fc.anything(), fc.anything()], { numRuns: 200 })('never throws on anything at all', (error, attempt, options) => {
    const delay = retryDelayMs(real(error) as ClassifiedError, attempt as number, options as never);
    expect(delay === null || (Number.isFinite(delay) && delay >= 0)).toBe(true);
  });
});
