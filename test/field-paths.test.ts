/**
 * Field paths with steps into arrays: `detail[0].type` and `error.details[@type=…].reason`. The
 * grammar, the runtime's reading (bounded and total on hostile bodies), and a provider that uses
 * them end to end: diagnostics at file:line:col, generated readers, examples, classification.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseFieldPath } from '../generator/field-path.js';
import { elementWhere, pathText, readPath } from '../generator/runtime/body.js';
import { generatedPackage } from './generic.js';
import { checkDir, diagnosticLines, removeDir, specFolder } from './helpers.js';

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

describe('parseFieldPath', () => {
  it.each([
    ['error.type', ['error', 'type']],
    ['detail[0].type', ['detail', 0, 'type']],
    ['[0].error.message', [0, 'error', 'message']],
    ['error.details[@type=type.googleapis.com/google.rpc.ErrorInfo].reason', ['error', 'details', { key: '@type', equals: 'type.googleapis.com/google.rpc.ErrorInfo' }, 'reason']],
    ['a[1][2]', ['a', 1, 2]],
    ['a[k=]', ['a', { key: 'k', equals: '' }]],
  ])('%s', (text, path) => {
    expect(parseFieldPath(text)).toEqual({ path });
    expect(pathText(path)).toBe(text);
  });

  it.each([
    ['', 'it is empty'],
    ['a..b', 'an empty step at 3'],
    ['.a', 'an empty step at 1'],
    ['a.', 'it ends with "."'],
    ['a[0', '"[" at 2 is never closed'],
    ['a]', '"]" at 2 closes nothing'],
    ['a[x]', '[x] is neither an index such as [0] nor a match such as [@type=…]'],
    ['a[=x]', '[=x] is neither an index such as [0] nor a match such as [@type=…]'],
    ['a[0]b', '"b" at 5 follows "]"; a "." or another "[" must'],
  ])('%j is refused: %s', (text, problem) => {
    expect(parseFieldPath(text)).toEqual({ problem });
  });
});

describe('readPath', () => {
  const details = [{ '@type': 'type.googleapis.com/google.rpc.Help' }, { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }];
  const infoReason = ['error', 'details', { key: '@type', equals: 'type.googleapis.com/google.rpc.ErrorInfo' }, 'reason'] as const;

  it('steps into arrays by index and by a field', () => {
    expect(readPath({ error: { details } }, infoReason)).toBe('API_KEY_INVALID');
    expect(readPath({ detail: [{ type: 'content_policy_violation' }] }, ['detail', 0, 'type'])).toBe('content_policy_violation');
    expect(readPath([{ error: { status: 'RESOURCE_EXHAUSTED' } }], [0, 'error', 'status'])).toBe('RESOURCE_EXHAUSTED');
  });

  it('an index or a match never reads an object as an array, nor an inherited field', () => {
    expect(readPath({ detail: { 0: { type: 'x' } } }, ['detail', 0, 'type'])).toBeUndefined();
    expect(readPath({ error: { details: { '@type': 'x' } } }, infoReason)).toBeUndefined();
    const inherited = Object.create({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'NO' }) as object;
    expect(elementWhere([inherited], '@type', 'type.googleapis.com/google.rpc.ErrorInfo')).toBeUndefined();
  });

  it('looks through the first 64 elements only, and survives throwing getters and proxies', () => {
    const far = [...Array.from({ length: 64 }, () => ({})), { '@type': 'x', reason: 'late' }];
    expect(readPath({ d: far }, ['d', { key: '@type', equals: 'x' }, 'reason'])).toBeUndefined();
    const huge = new Array(10_000_000);
    const started = performance.now();
    expect(readPath({ d: huge }, ['d', { key: '@type', equals: 'x' }])).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(50);
    const hostile = new Proxy([], { get: () => { throw new Error('trap'); } });
    expect(readPath({ d: hostile }, ['d', { key: 'k', equals: 'v' }])).toBeUndefined();
    expect(readPath({ d: [{ get k(): string { throw new Error('getter'); } }] }, ['d', { key: 'k', equals: 'v' }])).toBeUndefined();
  });
});

/** A Google-style provider: google.rpc.Status bodies whose ErrorInfo detail names the finer reason. */
const GOOGLISH = `format: 2
provider: googlish
name: Googlish
sources:
  docs: { document: docs/errors.md }
layers:
  http:
    envelope:
      title: GooglishError
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message, status]
          properties:
            code: { type: integer }
            message: { type: string }
            status: { type: string }
            details: { type: array }
    fields:
      code: ["error.details[@type=type.googleapis.com/google.rpc.ErrorInfo].reason", error.status]
      message: error.message
    codes:
      API_KEY_INVALID:
        status: 400
        category: authentication
        description: The API key is not valid.
        source: docs
        examples:
          - status: 400
            body: { error: { code: 400, message: API key not valid., status: INVALID_ARGUMENT, details: [{ "@type": type.googleapis.com/google.rpc.ErrorInfo, reason: API_KEY_INVALID, domain: googleapis.com }] } }
            expect: { category: authentication, code: API_KEY_INVALID, known: true }
      INVALID_ARGUMENT:
        category: invalid_request
        description: The request is not valid.
        source: docs
        examples:
          - status: 400
            body: { error: { code: 400, message: Bad value., status: INVALID_ARGUMENT } }
            expect: { category: invalid_request, code: INVALID_ARGUMENT }
`;

describe('a provider that reads codes out of arrays', () => {
  it('generates readers that step into arrays, and classifies by the ErrorInfo reason first, then the status', async () => {
    const { root, output } = await generatedPackage({ 'googlish.yaml': GOOGLISH }, made);
    const table = output.files.find((f) => f.path === 'googlish/table.js')!.content;
    expect(table).toMatch(/^import \{ [^}]*\belementWhere\b[^}]* \} from '..\/runtime.js';$/m);
    expect(table).toContain("elementWhere(errorDetails, '@type', 'type.googleapis.com/google.rpc.ErrorInfo')");
    const invalidKey = { error: { code: 400, message: 'API key not valid.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.Help' }, { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }] } };
    expect(root.classifyResponse('googlish', { status: 400, body: invalidKey })).toMatchObject({ category: 'authentication', code: 'API_KEY_INVALID', known: true, conforms: true });
    expect(root.classifyResponse('googlish', { status: 400, body: JSON.stringify({ error: { code: 400, message: 'm', status: 'INVALID_ARGUMENT', details: 'not an array' } }) })).toMatchObject({ category: 'invalid_request', code: 'INVALID_ARGUMENT' });
  });

  it('a path that cannot be read, or that names what every object has, is reported where it is written', () => {
    const dir = specFolder({ 'googlish.yaml': GOOGLISH.replace('message: error.message', 'message: error.details[0.message').replace('["error.details[@type=', '["error.details[constructor=x].a", "error.details[@type=') });
    made.push(dir);
    expect(diagnosticLines(checkDir(dir))).toEqual([
      'googlish.yaml:22:14: field path "error.details[constructor=x].a" names "constructor", which every object, string or array has; rename the path',
      'googlish.yaml:23:16: field path "error.details[0.message" cannot be read: "[" at 14 is never closed',
    ]);
  });

  it('an unquoted path with brackets in a [ … ] list gets a hint', () => {
    const dir = specFolder({ 'googlish.yaml': GOOGLISH.replace('["error.details[@type=type.googleapis.com/google.rpc.ErrorInfo].reason", error.status]', '[error.details[0].reason, error.status]') });
    made.push(dir);
    expect(diagnosticLines(checkDir(dir))[0]).toMatch(/^googlish\.yaml:22:\d+: YAML: Missing , or : between flow sequence items \(a value with \[ or \] inside a \[ … \] list, such as a field path, must be quoted\)$/);
  });
});

/** A fal-style provider: model errors in a list, infrastructure errors with error_type, the same in a header. */
const FALISH = `format: 2
provider: falish
name: Falish
sources:
  docs: { document: docs/errors.md }
layers:
  http:
    envelope:
      title: FalishError
      type: object
      properties:
        detail: {}
        error_type: { type: string }
        request_id: { type: string }
    fields:
      code: ["detail[0].type", error_type, "header:X-Fal-Error-Type"]
      message: ["detail[0].msg", detail]
      requestId: [header:x-fal-request-id, request_id]
    codes:
      request_timeout:
        status: 504
        category: timeout
        description: The request timed out.
        source: docs
        examples:
          - status: 504
            headers: { X-Fal-Error-Type: request_timeout, x-fal-request-id: req-1 }
            text: upstream timed out
            expect: { category: timeout, code: request_timeout, known: true, requestId: req-1 }
      content_policy_violation:
        status: 422
        category: content_policy
        description: The content was flagged.
        source: docs
        examples:
          - status: 422
            body: { detail: [{ loc: [body, prompt], msg: The content was flagged by a content checker., type: content_policy_violation }], request_id: body-req }
            expect: { category: content_policy, code: content_policy_violation, requestId: body-req }
`;

describe('places in headers: a code and a request id', () => {
  it('reads a code from a header when the body has none, and the request id from a header, then the body', async () => {
    const { root, readme } = await generatedPackage({ 'falish.yaml': FALISH }, made);
    // The body is not JSON: the header names the code.
    expect(root.classifyResponse('falish', { status: 504, headers: { 'X-FAL-ERROR-TYPE': 'request_timeout' }, body: 'Gateway Timeout' })).toMatchObject({ code: 'request_timeout', known: true, category: 'timeout' });
    // A declared code in the body wins over the header; the header's request id over the body's.
    const both = root.classifyResponse('falish', {
      status: 422,
      headers: new Headers({ 'x-fal-error-type': 'request_timeout', 'x-fal-request-id': 'from-header' }),
      body: { detail: [{ type: 'content_policy_violation', msg: 'flagged' }], request_id: 'from-body' },
    });
    expect(both).toMatchObject({ code: 'content_policy_violation', requestId: 'from-header', message: 'flagged' });
    // Two shapes, one message: a model error's detail is a list, an infrastructure error's a text.
    expect(root.classifyResponse('falish', { status: 504, body: { detail: 'Request timed out after 30 s', error_type: 'request_timeout' } })).toMatchObject({ code: 'request_timeout', message: 'Request timed out after 30 s' });
    expect(root.classifyResponse('falish', { status: 422, body: { detail: [{ msg: '' }, { msg: 'second' }] } }).message).toBe('The content was flagged.');
    expect(root.classifyResponse('falish', { status: 422, body: { detail: [{ type: 'x' }], request_id: 'from-body' } }).requestId).toBe('from-body');
    // The usual request id headers mean nothing to this provider.
    expect(root.classifyResponse('falish', { status: 500, headers: { 'x-request-id': 'usual' } }).requestId).toBeNull();
    expect(readme).toContain('the request id is read from `header:x-fal-request-id`, then `request_id`');
    expect(readme).toContain('HTTP errors (code at `detail[0].type`, then `error_type`, then `header:X-Fal-Error-Type`)');
  });

  it('a header only where one may be read, and a name that is a header name', () => {
    const dir = specFolder({ 'falish.yaml': FALISH.replace('requestId: [header:x-fal-request-id, request_id]', 'requestId: ["header:x fal", request_id]').replace('message: ["detail[0].msg", detail]', 'message: header:X-Message') });
    made.push(dir);
    expect(diagnosticLines(checkDir(dir))).toEqual([
      'falish.yaml:17:16: "header:X-Message": only a code, a request id, a stated wait and a soft failure\'s condition may be read from a header',
      'falish.yaml:18:19: header "header:x fal" cannot be read: "x fal" is not a header name',
    ]);
  });
});
