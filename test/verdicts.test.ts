/**
 * Verdict headers: a response header that decides whether a failure is worth retrying, over its
 * code and status (x-should-retry on OpenAI, Anthropic, Runway and Luma; fal's
 * X-Fal-Request-Timeout-Type: user on a 504 that must not be retried).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { providerPage } from '../generator/docs/provider-page.js';
import { generatedPackage, type PackageRoot } from './generic.js';
import { checkDir, diagnosticLines, rejection, removeDir, specFolder, startServer } from './helpers.js';
import type { ProviderError } from '../generated/index.js';

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

const VERDICTS = `format: 2
provider: stainlessish
name: Stainlessish
sources:
  sdk: { document: docs/sdk-retries.md }
  timeouts: { document: docs/timeouts.md }
layers:
  http:
    envelope: { title: StainlessishError, type: object, properties: { error: { type: object, properties: { type: { type: string }, message: { type: string } } } } }
    fields: { code: error.type, message: error.message }
    verdicts:
      - header: X-Fal-Request-Timeout-Type
        values:
          user: { retryable: false, action: fix_request }
        source: timeouts
        note: The caller's own start deadline passed; sending again meets the same deadline.
      - header: x-should-retry
        values:
          "true": { retryable: true }
          "false": { retryable: false }
        source: sdk
    codes:
      overloaded_error:
        status: 529
        category: overloaded
        description: The service is overloaded.
        source: sdk
        examples:
          - status: 529
            headers: { x-should-retry: "false" }
            body: { error: { type: overloaded_error, message: Overloaded } }
            expect: { category: overloaded, code: overloaded_error, retryable: false }
      conflict_error:
        status: 409
        category: overloaded
        retryable: false
        description: Another request holds the resource; the SDK retries when the header says so.
        source: sdk
      invalid_request_error:
        status: 400
        category: invalid_request
        description: The request is malformed.
        source: sdk
`;

async function generated(spec: string): Promise<PackageRoot> {
  const { root, readme, model } = await generatedPackage({ 'stainlessish.yaml': spec }, made);
  expect(readme).toContain('the `x-should-retry` header decides over code and status: `true` retryable, `false` final');
  expect(readme).toContain('the `X-Fal-Request-Timeout-Type` header decides over code and status: `user` final (action fix_request)');
  const page = providerPage(model, model.providers[0]!);
  expect(page.replace(/<wbr>/g, '')).toContain('The <code>x-should-retry</code> header decides whether to retry, over code and status: <code>true</code> retryable, <code>false</code> final.');
  return root;
}

describe('verdict headers', () => {
  it('decide over code and status, in any case; true retries only what has a rule to wait by', async () => {
    const root = await generated(VERDICTS);
    const classify = (status: number, headers: Record<string, string>, body: unknown = null) => root.classifyResponse('stainlessish', { status, headers, body });
    const overloaded = { error: { type: 'overloaded_error', message: 'Overloaded' } };
    expect(classify(529, {}, overloaded)).toMatchObject({ retryable: true, action: 'retry_later' });
    expect(classify(529, { 'X-Should-Retry': 'FALSE' }, overloaded)).toMatchObject({ code: 'overloaded_error', category: 'overloaded', retryable: false });
    // A 504 is retryable, unless the caller's own deadline made it; then the action says so too.
    expect(classify(504, {})).toMatchObject({ category: 'timeout', retryable: true });
    expect(classify(504, { 'x-fal-request-timeout-type': 'User' })).toMatchObject({ category: 'timeout', retryable: false, action: 'fix_request' });
    // The first header present with a listed value decides; an unlisted value decides nothing.
    expect(classify(504, { 'x-fal-request-timeout-type': 'user', 'x-should-retry': 'true' })).toMatchObject({ retryable: false });
    expect(classify(504, { 'x-fal-request-timeout-type': 'other', 'x-should-retry': 'false' })).toMatchObject({ retryable: false, action: 'retry' });
    expect(classify(504, { 'x-should-retry': 'maybe' })).toMatchObject({ retryable: true });
    // true on a code declared final whose category retries; true on a malformed request has no rule to wait by.
    const conflict = { error: { type: 'conflict_error', message: 'busy' } };
    expect(classify(409, {}, conflict)).toMatchObject({ retryable: false });
    const retried = classify(409, { 'x-should-retry': 'true' }, conflict);
    expect(retried).toMatchObject({ code: 'conflict_error', retryable: true });
    expect(root.retryDelayMs(retried, 1, { random: () => 0 })).toBeGreaterThan(0);
    expect(classify(400, { 'x-should-retry': 'true' }, { error: { type: 'invalid_request_error', message: 'bad' } })).toMatchObject({ retryable: false });
    const final = classify(500, { 'x-should-retry': 'false' });
    expect(final.retryable).toBe(false);
    expect(root.retryDelayMs(final, 1)).toBeNull();
  });

  it('the executor sends once when the header says final, and again when it says retry', async () => {
    const root = await generated(VERDICTS);
    const fetchWithRetry = root.fetchWithRetry as (provider: string, url: string, init: RequestInit | undefined, options: object) => Promise<Response>;
    let requests = 0;
    const server = await startServer((req, res) => {
      requests += 1;
      const final = req.url === '/final';
      const headers = { 'content-type': 'application/json', 'x-should-retry': final ? 'false' : requests === 1 ? 'true' : 'false' };
      res.writeHead(requests === 2 && !final ? 200 : 500, headers).end(JSON.stringify(requests === 2 && !final ? { ok: true } : { error: { type: 'api_error', message: 'boom' } }));
    });
    try {
      const options = { sleep: async () => undefined };
      const error = await rejection<ProviderError>(fetchWithRetry('stainlessish', `${server.base}/final`, undefined, options));
      expect(error).toMatchObject({ status: 500, retryable: false, giveUp: 'not_retryable', attempts: 1 });
      expect(requests).toBe(1);
      requests = 0;
      const response = await fetchWithRetry('stainlessish', `${server.base}/again`, undefined, options);
      expect(response.status).toBe(200);
      expect(requests).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('a header name, a value listed twice and an action are checked where they are written', () => {
    const spec = VERDICTS.replace('header: x-should-retry', 'header: x should retry')
      .replace('"false": { retryable: false }', '"false": { retryable: false }\n          "FALSE": { retryable: false, action: give_up }');
    const dir = specFolder({ 'stainlessish.yaml': spec });
    made.push(dir);
    expect(diagnosticLines(checkDir(dir))).toEqual([
      'stainlessish.yaml:17:17: "x should retry" is not a header name',
      'stainlessish.yaml:21:11: the value "FALSE" is listed twice (values match in any case)',
      'stainlessish.yaml:21:48: unknown action "give_up"',
    ]);
  });
});
