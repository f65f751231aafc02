/** The contract's rules (README, "The contract in short") on the generated package. */
import { describe, expect, it } from 'vitest';
import { classifyException, classifyFetchTask, classifyResponse, classifyTask, providerIds, retryDelayMs, type ClassifiedError } from '../generated/index.js';

const CONTRACT_KEYS = [
  'action', 'category', 'code', 'conforms', 'known', 'message', 'param', 'provider',
  'requestId', 'retryAfterMs', 'retryable', 'source', 'status', 'subtype', 'suggestion',
];

const ltx429 = (headers: Record<string, string> | Headers) =>
  classifyResponse('ltx', { status: 429, headers, body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } } });

describe('rule 2: known code first, then the status table, then the canonical fallback', () => {
  it('a known identifier overrides the status', () => {
    const r = classifyResponse('wubble', { status: 400, body: { success: false, data: null, error: { code: 'CONCURRENT_GENERATION_LIMIT', message: 'busy' } } });
    expect([r.category, r.known, r.status]).toEqual(['concurrency_limited', true, 400]);
  });
  it.each([
    [408, 'timeout', true],
    [504, 'timeout', true],
    [429, 'rate_limited', true],
    [507, 'server_error', true],
    [418, 'invalid_request', false],
    [451, 'invalid_request', false],
    [302, 'unknown', false],
  ])('an undocumented %i falls back to %s (retryable %s)', (status, category, retryable) => {
    const r = classifyResponse('foxapi', { status, body: 'not json' });
    expect([r.category, r.retryable, r.known, r.code]).toEqual([category, retryable, false, null]);
  });
  it('an unknown identifier is reported but never known', () => {
    const r = classifyResponse('evolink', { status: 500, body: { error: { code: 500, message: 'm', type: 'brand_new_error' } } });
    expect([r.code, r.known, r.category]).toEqual(['brand_new_error', false, 'server_error']);
  });
});

describe('rule 3: no prototype leaks', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])('%s is a plain unknown code', (code) => {
    for (const r of [
      classifyResponse('evolink', { status: 400, body: JSON.parse(`{"error":{"code":400,"message":"m","type":${JSON.stringify(code)}}}`) }),
      classifyTask('evolink', JSON.parse(`{"id":"t","status":"failed","error":{"code":${JSON.stringify(code)},"message":"m"}}`))!,
      classifyResponse('wubble', { status: 400, body: JSON.stringify({ success: false, data: null, error: { code, message: 'm' } }) }),
    ]) {
      expect(r.code).toBe(code);
      expect(r.known).toBe(false);
      expect(Object.keys(r).sort()).toEqual(CONTRACT_KEYS);
    }
  });
  it('a "__proto__" key in a JSON body cannot smuggle in fields', () => {
    const body = '{"__proto__":{"error":{"code":400,"message":"smuggled","type":"invalid_request_error"}}}';
    const r = classifyResponse('evolink', { status: 503, body });
    expect([r.code, r.category, r.message]).toEqual([null, 'overloaded', 'Service temporarily unavailable; retry after 30 seconds.']);
  });
  it('an unknown provider id degrades to the canonical fallback', () => {
    const r = classifyResponse('toString' as never, { status: 503 });
    expect([r.provider, r.category]).toEqual([null, 'overloaded']);
  });
});

describe('rule 4: headers', () => {
  it('reads Retry-After seconds, case-insensitively, from records and Headers', () => {
    expect(ltx429({ 'Retry-After': '12' }).retryAfterMs).toBe(12_000);
    expect(ltx429({ 'RETRY-AFTER': '3' }).retryAfterMs).toBe(3_000);
    expect(ltx429(new Headers({ 'retry-after': '7' })).retryAfterMs).toBe(7_000);
  });
  it('prefers retry-after-ms', () => {
    expect(ltx429({ 'retry-after-ms': '1500', 'retry-after': '10' }).retryAfterMs).toBe(1_500);
  });
  it('reads an HTTP-date relative to now', () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    const ms = ltx429({ 'Retry-After': at }).retryAfterMs!;
    expect(ms).toBeGreaterThan(27_000);
    expect(ms).toBeLessThanOrEqual(30_000);
    expect(ltx429({ 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' }).retryAfterMs).toBe(0);
  });
  it('reads an asctime date as GMT, whatever the local time zone', () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
        process.env.TZ = tz;
        const at = new Date(Date.now() + 30_000);
        const [day, , month, year, time] = at.toUTCString().split(' ') as string[];
        const asctime = `${day!.slice(0, 3)} ${month} ${String(at.getUTCDate()).padStart(2, ' ')} ${time} ${year}`;
        const ms = ltx429({ 'Retry-After': asctime }).retryAfterMs!;
        expect(ms, tz).toBeGreaterThan(27_000);
        expect(ms, tz).toBeLessThanOrEqual(30_000);
      }
    } finally {
      process.env.TZ = zone;
    }
  });
  it('a body with a byte-order mark is still JSON', () => {
    expect(classifyResponse('ltx', { status: 429, body: '\ufeff{"type":"error","error":{"type":"rate_limit_error","message":"m"}}' }).code).toBe('rate_limit_error');
  });
  it('a field whose getter throws loses only itself', () => {
    const boom = new Proxy({}, { get() { throw new Error('trap'); } });
    const r = classifyResponse('wubble', { status: 400, body: { success: false, data: null, error: { code: 'CONCURRENT_GENERATION_LIMIT', message: 'busy', details: boom } } });
    expect([r.category, r.known, r.message]).toEqual(['concurrency_limited', true, 'busy']);
    const task = classifyTask('evolink', { id: 't', status: 'failed', error: { code: 'content_policy_violation', get message(): string { throw new Error('getter'); } } });
    expect([task?.category, task?.code]).toEqual(['content_policy', 'content_policy_violation']);
  });
  it('headers inherited through the prototype are not read', () => {
    const headers = Object.create({ 'retry-after': '9' }) as Record<string, string>;
    expect(ltx429(headers).retryAfterMs).toBeNull();
  });
  it.each(['Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994'])('reads the obsolete HTTP-date form %j (in the past: 0)', (value) => {
    expect(ltx429({ 'Retry-After': value }).retryAfterMs).toBe(0);
  });
  it.each(['soon', '-5', '1e3', 'Infinity', 'NaN', '', '  ', '12 seconds', '0x10', '9'.repeat(400), '2026-01-01', 'Sun, 99 Nov 2026 08:49:37 GMT'])('garbage %j gives null', (value) => {
    expect(ltx429({ 'Retry-After': value }).retryAfterMs).toBeNull();
    expect(ltx429({ 'retry-after-ms': value }).retryAfterMs).toBeNull();
  });
  it('takes the first of repeated values and accepts numbers', () => {
    const r = classifyResponse('ltx', { status: 429, headers: { 'retry-after': ['4', '8'], 'x-other': undefined } });
    expect(r.retryAfterMs).toBe(4_000);
    expect(classifyResponse('ltx', { status: 429, headers: { 'Retry-After': 2 } }).retryAfterMs).toBe(2_000);
  });
});

describe('non-JSON and odd bodies', () => {
  it.each([
    ['an HTML gateway page', '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>'],
    ['an empty body', ''],
    ['whitespace', '  \n '],
    ['truncated JSON', '{"error": {"type": "api_'],
    ['a JSON string', '"oops"'],
    ['a JSON array', '[1,2,3]'],
    ['null', null],
    ['a number', 42],
    ['bytes', new TextEncoder().encode('<html></html>')],
  ])('%s degrades to the status', (_name, body) => {
    const r = classifyResponse('ltx', { status: 500, body });
    expect([r.category, r.retryable, r.conforms, r.code]).toEqual(['server_error', true, false, null]);
    expect(r.message).toBe('Unexpected server error.');
  });
  it('a JSON body given as bytes is parsed', () => {
    const body = new TextEncoder().encode(JSON.stringify({ type: 'error', error: { type: 'content_filtered_error', message: 'no' } }));
    expect(classifyResponse('ltx', { status: 422, body }).code).toBe('content_filtered_error');
  });
  it.each([0, -1, 99, 600, 1e9, NaN, Infinity, 200.5, '503', 'abc', null, undefined])('status %j never throws', (status) => {
    const r = classifyResponse('ltx', { status: status as number });
    expect(Object.keys(r).sort()).toEqual(CONTRACT_KEYS);
  });
});

describe('drift: conforms is false when a body departs from the envelope', () => {
  it.each([
    ['a string code where an integer is declared', 'evolink', { error: { code: '400', message: 'm', type: 'invalid_request_error' } }, 'invalid_request'],
    ['a missing required field', 'evolink', { error: { message: 'm', type: 'invalid_request_error' } }, 'invalid_request'],
    ['the wrong envelope altogether', 'evolink', { type: 'error', error: { type: 'invalid_request_error', message: 'm' } }, 'invalid_request'],
    ['a LTX body missing its type marker', 'ltx', { error: { type: 'api_error', message: 'm' } }, 'server_error'],
    ['a Wubble body with success true', 'wubble', { success: true, data: null, error: { code: 'FORBIDDEN', message: 'm' } }, 'permission'],
  ] as const)('%s', (_name, provider, body, category) => {
    const r = classifyResponse(provider, { status: provider === 'wubble' ? 403 : provider === 'ltx' ? 500 : 400, body });
    expect(r.conforms).toBe(false);
    expect(r.category).toBe(category);
  });
});

describe('tasks', () => {
  it('null for running and completed tasks, and for anything unreadable', () => {
    expect(classifyTask('evolink', { id: 't', status: 'processing' })).toBeNull();
    expect(classifyTask('foxapi', { status: 'completed' })).toBeNull();
    expect(classifyTask('evolink', 'not json')).toBeNull();
    expect(classifyTask('evolink', null)).toBeNull();
    expect(classifyTask('wubble', { status: 'failed' })).toBeNull();
  });
  it('an undeclared status with an error object counts as failed, and does not conform', () => {
    const r = classifyTask('evolink', { id: 't', status: 'errored', error: { code: 'service_error', message: 'm' } });
    expect([r?.category, r?.conforms, r?.known]).toEqual(['server_error', false, true]);
  });
  it('accepts the task as JSON text', () => {
    expect(classifyTask('ltx', '{"id":"j","status":"failed","error":{"type":"api_error","message":"m"}}')?.category).toBe('server_error');
  });
});

describe('retryDelayMs (rule 5)', () => {
  const serverError = classifyResponse('foxapi', { status: 500 });
  it('null when not retryable, past the limit, or for a nonsense attempt', () => {
    expect(retryDelayMs(classifyResponse('foxapi', { status: 400 }), 1)).toBeNull();
    expect(retryDelayMs(serverError, 4)).toBeNull();
    expect(retryDelayMs(serverError, NaN)).toBeNull();
    expect(retryDelayMs(serverError, 1)).not.toBeNull();
  });
  it('grows exponentially and is deterministic for a fixed random', () => {
    const delays = [1, 2, 3].map((n) => retryDelayMs(serverError, n, { random: () => 0 }));
    expect(delays).toEqual([1000, 2000, 4000]);
    expect(retryDelayMs(serverError, 2, { random: () => 0.5 })).toBe(retryDelayMs(serverError, 2, { random: () => 0.5 }));
  });
  it('jitter only adds, up to the rule maximum', () => {
    expect(retryDelayMs(serverError, 1, { random: () => 0.999 })).toBeCloseTo(1499.5);
  });
  it('honours a hint up to 60 s in full', () => {
    const r = ltx429({ 'retry-after': '45' });
    expect(retryDelayMs(r, 1, { random: () => 0 })).toBe(45_000);
  });
  it('a hint past the rule\'s ceiling ends retrying, as the taxonomy says; one within it is the wait', () => {
    const r = classifyResponse('foxapi', { status: 500, headers: { 'retry-after': '3600' } });
    expect(retryDelayMs(r, 1)).toBeNull();
    const short = classifyResponse('foxapi', { status: 500, headers: { 'retry-after': '2' } });
    expect(retryDelayMs(short, 3, { random: () => 0 })).toBe(2000);
    expect(retryDelayMs(short, 3, { random: () => 0.999 })).toBeLessThan(2200);
  });
  it('survives a broken random source', () => {
    expect(retryDelayMs(serverError, 1, { random: () => { throw new Error('x'); } })).toBe(1000);
    expect(retryDelayMs(serverError, 1, { random: () => NaN })).toBe(1000);
  });
  it('uses the category rule for errors built by hand', () => {
    const e = { ...serverError, provider: null, code: null } as ClassifiedError;
    expect(retryDelayMs(e, 1, { random: () => 0 })).toBe(1000);
  });
});

describe('rule 6: bounded time on huge and deep input', () => {
  it('handles a 5 MB message and deeply nested JSON text', () => {
    const message = 'x'.repeat(5_000_000);
    const r = classifyTask('evolink', { id: 't', status: 'failed', error: { code: 'content_policy_violation', message } });
    expect([r?.category, r?.subtype]).toEqual(['content_policy', null]);
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(classifyResponse('ltx', { status: 500, body: deep }).conforms).toBe(false);
  });
});

describe('classifyException', () => {
  it('AbortError is cancelled and not retryable', () => {
    const r = classifyException(new DOMException('The operation was aborted.', 'AbortError'), 'ltx');
    expect([r.category, r.retryable, r.source, r.provider, r.status]).toEqual(['cancelled', false, 'network', 'ltx', null]);
  });
  it('TimeoutError is a timeout', () => {
    expect(classifyException(new DOMException('The operation timed out.', 'TimeoutError')).category).toBe('timeout');
  });
  it('follows causes to a Node error code', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const r = classifyException(new TypeError('fetch failed', { cause }));
    expect([r.category, r.code, r.known, r.retryable, r.message]).toEqual(['network', 'ECONNREFUSED', true, true, 'fetch failed']);
  });
  it('recognises a bare "Failed to fetch"', () => {
    expect(classifyException(new TypeError('Failed to fetch')).category).toBe('network');
  });
  it.each([
    ['a string', 'boom', 'boom'],
    ['null', null, 'The failure could not be classified.'],
    ['a number', 42, 'The failure could not be classified.'],
    ['a plain Error', new Error('weird'), 'weird'],
  ])('anything else (%s) is unknown', (_name, thrown, message) => {
    const r = classifyException(thrown);
    expect([r.category, r.retryable, r.message, r.provider]).toEqual(['unknown', false, message, null]);
  });
  it('survives cyclic causes and throwing getters', () => {
    const a: { cause?: unknown; message: string } = { message: 'a' };
    a.cause = { cause: a, get code(): string { throw new Error('nope'); } };
    expect(classifyException(a).category).toBe('unknown');
    const hostile = new Proxy({}, { get() { throw new Error('trap'); } });
    expect(classifyException(hostile).category).toBe('unknown');
  });
  it('ignores an unknown provider id', () => {
    expect(classifyException(new Error('x'), 'nope' as never).provider).toBeNull();
  });
});

describe('request ids (the x-request-id and request-id headers)', () => {
  it.each([
    ['a plain record', { 'X-Request-Id': 'req_1' }, 'req_1'],
    ['Headers', new Headers({ 'x-request-id': 'req_2' }), 'req_2'],
    ['a Map', new Map([['Request-Id', 'req_3']]), 'req_3'],
    ['x-request-id over request-id', { 'request-id': 'b', 'x-request-id': 'a' }, 'a'],
    ['a repeated header', { 'x-request-id': ['first', 'second'] }, 'first'],
    ['none', { 'content-type': 'application/json' }, null],
    ['a blank value', { 'x-request-id': '  ' }, null],
  ])('from %s', (_name, headers, id) => {
    expect(ltx429(headers as never).requestId).toBe(id);
  });
  it('is null for tasks and exceptions', () => {
    expect(classifyTask('ltx', { id: 'j', status: 'failed', error: { type: 'api_error', message: 'm' } })?.requestId).toBeNull();
    expect(classifyException(new Error('x'), 'ltx').requestId).toBeNull();
  });
});

describe('every shape of headers is read case-insensitively', () => {
  const shapes: [string, (name: string, value: string) => unknown][] = [
    ['a plain record', (name, value) => ({ [name]: value })],
    ['Headers', (name, value) => new Headers({ [name]: value })],
    ['a Map', (name, value) => new Map([[name, value]])],
    ['a Map with a number', (name, value) => new Map<string, unknown>([[name, Number(value)]])],
    ['[name, value] pairs', (name, value) => [['content-type', 'text/plain'], [name, value]]],
    ['an instance of a class with the headers as its own properties', (name, value) => new (class Record { constructor() { Object.assign(this, { [name]: value }); } })()],
  ];
  it.each(shapes)('%s', (_name, make) => {
    for (const name of ['retry-after', 'Retry-After', 'RETRY-AFTER']) expect(ltx429(make(name, '3') as never).retryAfterMs, name).toBe(3_000);
    expect(ltx429(make('Retry-After-Ms', '250') as never).retryAfterMs).toBe(250);
  });
  it('an object with only a case-sensitive get, asked in both usual spellings', () => {
    for (const name of ['retry-after', 'Retry-After']) {
      expect(ltx429({ get: (asked: string) => (asked === name ? '3' : null) } as never).retryAfterMs, name).toBe(3_000);
    }
  });
  it('an endless iterable of headers cannot hang a call', () => {
    const endless = { *[Symbol.iterator]() { for (;;) yield ['x-noise', '1']; } };
    expect(ltx429(endless as never).retryAfterMs).toBeNull();
  });
});

describe('retryDelayMs takes attempts as integers from 1', () => {
  const error = classifyResponse('foxapi', { status: 500 });
  it.each([0, -1, -0.5, 0.5, 1.5, 2.999, Number.MIN_VALUE])('attempt %d gives null', (attempt) => {
    expect(retryDelayMs(error, attempt)).toBeNull();
  });
  it('attempt 1 is the first retry', () => {
    expect(retryDelayMs(error, 1, { random: () => 0 })).toBe(1000);
  });
});

describe('a response below 400 is not a failure', () => {
  it.each([200, 201, 204, 304])('%i without a declared code: unknown, not retryable, and the message says why', (status) => {
    const r = classifyResponse('ltx', { status, body: '' });
    expect([r.category, r.retryable, r.code, r.known]).toEqual(['unknown', false, null, false]);
    expect(r.message).toBe(`HTTP ${status} is not a failure status; only failed responses are classified (check response.ok first).`);
  });
  it('a 200 whose body names a declared code is classified by that code', () => {
    const r = classifyResponse('wubble', { status: 200, body: { success: false, data: null, error: { code: 'FORBIDDEN', message: 'Missing scope' } } });
    expect([r.category, r.known, r.message]).toEqual(['permission', true, 'Missing scope']);
  });
});

describe('network errors keep the taxonomy\'s retry rule unless the provider says otherwise', () => {
  const refused = (provider: 'evolink' | 'ltx') =>
    classifyException(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }), provider);
  it("Evolink's 5 s base delay applies to its responses, not to a refused connection", () => {
    expect(retryDelayMs(refused('evolink'), 1, { random: () => 0 })).toBe(500);
    expect(retryDelayMs(refused('ltx'), 1, { random: () => 0 })).toBe(500);
    expect(retryDelayMs(classifyResponse('evolink', { status: 504 }), 1, { random: () => 0 })).toBe(5000);
  });
});

describe('envelope validators are total, like the classifiers', () => {
  const trap = (): never => { throw new Error('trap'); };
  const proxy = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap });
  const getter = Object.defineProperty({}, 'error', { enumerable: true, get: trap });
  it.each(providerIds)('%s: every validate… and is… export answers false on a hostile value, and explains why', async (id) => {
    const sub = (await import(`../generated/${id}/index.js`)) as Record<string, unknown>;
    const validators = Object.entries(sub).filter(([name, value]) => /^(validate|is)[A-Z]/.test(name) && typeof value === 'function');
    expect(validators.length).toBeGreaterThanOrEqual(2);
    for (const [name, validate] of validators as [string, ((v: unknown) => boolean) & { errors?: { keyword: string }[] }][]) {
      // A throwing getter never escapes; an envelope that reads no `error` may still accept the object.
      expect(typeof validate(getter), name).toBe('boolean');
      expect(validate(proxy), name).toBe(false);
      // Every envelope reads a field of an object first, and the proxy throws on any read.
      if (name.startsWith('validate')) expect(validate.errors?.[0]?.keyword, name).toBe('unreadable');
    }
  });
  it('a validator still explains an ordinary mismatch, and clears its errors on success', async () => {
    const { validateLtxHttpError } = await import('../generated/ltx/index.js');
    expect(validateLtxHttpError({ type: 'error' })).toBe(false);
    expect(validateLtxHttpError.errors?.[0]?.message).toBe("must have required property 'error'");
    expect(validateLtxHttpError({ type: 'error', error: { type: 't', message: 'm' } })).toBe(true);
    expect(validateLtxHttpError.errors).toBeNull();
  });
});

describe('a provider id the package does not know', () => {
  it('is classified by the status fallback, with the usual headers read and no body code taken', () => {
    const r = classifyResponse('nope' as never, {
      status: 429,
      headers: { 'Retry-After': '3', 'x-request-id': 'req_9' },
      body: { error: { code: 'rate_limit_error', type: 'rate_limit_error', message: 'slow down' } },
    });
    expect(r).toMatchObject({ provider: null, source: 'http', status: 429, code: null, known: false, conforms: false, category: 'rate_limited', retryable: true, retryAfterMs: 3000, requestId: 'req_9' });
    expect(classifyTask('nope' as never, { status: 'failed' })).toBeNull();
  });

  it('has its failed task-status requests classified as HTTP failures, and its task bodies never failed', async () => {
    const failed = await classifyFetchTask('nope' as never, new Response('{"error":"busy"}', { status: 503, headers: { 'retry-after': '2' } }));
    expect(failed).toMatchObject({ provider: null, source: 'http', status: 503, category: 'overloaded', retryAfterMs: 2000 });
    expect(await classifyFetchTask('nope' as never, new Response('{"status":"failed"}', { status: 200 }))).toBeNull();
  });
});
