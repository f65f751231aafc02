/** The model stage: how defaults resolve into each code's outcome and retry rule. */
import { afterAll, describe, expect, it } from 'vitest';
import { checkDir, MINIMAL_PROVIDER, removeDir, specFolder } from '../helpers.js';

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

function modelOf(provider: string) {
  const dir = specFolder({ 'acme.yaml': provider });
  made.push(dir);
  const result = checkDir(dir);
  expect(result.diagnostics).toEqual([]);
  return result.model!.providers[0]!;
}

const withCode = (code: string, defaults = ''): string =>
  MINIMAL_PROVIDER.replace('layers:\n', `${defaults}layers:\n`).replace(
    /      bad_input:[\s\S]*$/,
    code.replace(/^/gm, '      ') + '\n',
  );

describe('outcome resolution', () => {
  it.each([
    [
      'a code states only its category: action, retryable and rule come from the taxonomy',
      'c:\n  category: rate_limited\n  description: d\n  source: docs',
      '',
      { category: 'rate_limited', action: 'reduce_rate', retryable: true, retry: { strategy: 'exponential', baseMs: 1000, maxMs: 60000, maxAttempts: 7, minWaitMs: 0, jitter: 0.5, retryAfterCapMs: 300000, overCap: 'stop' } },
    ],
    [
      'provider defaults apply over the category, the code over both',
      'c:\n  category: server_error\n  description: d\n  source: docs\n  retry: { maxAttempts: 1 }',
      'defaults:\n  retry: { jitter: 0.1, baseMs: 2000 }\n',
      { category: 'server_error', action: 'retry', retryable: true, retry: { strategy: 'exponential', baseMs: 2000, maxMs: 30000, maxAttempts: 2, minWaitMs: 0, jitter: 0.1, retryAfterCapMs: 60000, overCap: 'stop' } },
    ],
    [
      'a non-retryable code has no rule, whatever the defaults say',
      'c:\n  category: server_error\n  retryable: false\n  description: d\n  source: docs',
      'defaults:\n  retry: { jitter: 0.1 }\n',
      { category: 'server_error', action: 'retry', retryable: false, retry: null },
    ],
    [
      'an explicit action wins over the category default',
      'c:\n  category: upstream_unavailable\n  action: switch_model\n  description: d\n  source: docs',
      '',
      { category: 'upstream_unavailable', action: 'switch_model', retryable: true },
    ],
    [
      'a category without a rule can be made retryable with a full rule of its own',
      'c:\n  category: unknown\n  retryable: true\n  description: d\n  source: docs\n  retry: { strategy: constant, baseMs: 5, maxMs: 5, maxAttempts: 1, retryAfter: { capMs: 90000, overCap: stop } }',
      '',
      { category: 'unknown', action: 'contact_support', retryable: true, retry: { strategy: 'constant', baseMs: 5, maxMs: 5, maxAttempts: 2, minWaitMs: 0, jitter: 0, retryAfterCapMs: 90000, overCap: 'stop' } },
    ],
  ])('%s', (_name, code, defaults, want) => {
    const provider = modelOf(withCode(code, defaults));
    expect(provider.http.codes[0]!.outcome).toMatchObject(want);
  });

  it('a sub-type without overrides shares its code\'s outcome; one that changes category starts from that category', () => {
    const provider = modelOf(
      withCode(
        'c:\n  category: invalid_request\n  description: d\n  suggestion: s\n  source: docs\n  subtypes:\n    - { id: plain, description: p, contains: Plain }\n    - { id: big, description: b, contains: [Too Big, huge], category: payload_too_large }',
      ),
    );
    const [plain, big] = provider.http.codes[0]!.subtypes;
    expect(plain).toMatchObject({ id: 'plain', contains: ['plain'], outcome: null });
    expect(big).toMatchObject({ id: 'big', contains: ['too big', 'huge'], outcome: { category: 'payload_too_large', action: 'fix_request', retryable: false, suggestion: 's', description: 'b' } });
  });

  it("a sub-type keeps its code's own retry rule; provider defaults are not applied twice", () => {
    const provider = modelOf(
      withCode(
        'c:\n  category: server_error\n  description: d\n  source: docs\n  retry: { baseMs: 0, maxMs: 0, strategy: constant }\n  subtypes:\n    - { id: by_user, description: u, contains: by user, action: contact_support }',
        'defaults:\n  retry: { baseMs: 5000 }\n',
      ),
    );
    const code = provider.http.codes[0]!;
    expect(code.outcome.retry).toMatchObject({ baseMs: 0, maxMs: 0 });
    expect(code.subtypes[0]!.outcome).toMatchObject({ action: 'contact_support', retry: { baseMs: 0, maxMs: 0 } });
  });

  it('a status entry either names a code or carries an outcome of its own', () => {
    const provider = modelOf(
      MINIMAL_PROVIDER.replace('    codes:\n', '    statuses:\n      400: { code: bad_input }\n      503: { category: overloaded, description: Busy, source: docs }\n    codes:\n'),
    );
    expect(provider.statuses.map((s) => [s.status, s.code, s.outcome?.category ?? null])).toEqual([
      [400, 'bad_input', null],
      [503, null, 'overloaded'],
    ]);
  });

  it("a code's failure status feeds the status table, unless the table names that status itself; a 2xx never does", () => {
    const provider = modelOf(
      MINIMAL_PROVIDER.replace('    codes:\n', '    statuses:\n      503: { category: overloaded, description: Busy, source: docs }\n    codes:\n').replace(
        '        source: docs\n',
        '        source: docs\n      site_overloaded:\n        status: 529\n        category: overloaded\n        description: Site overloaded.\n        source: docs\n      also_busy:\n        status: 503\n        category: server_error\n        description: Busy too.\n        source: docs\n      failed_with_200:\n        status: 200\n        category: server_error\n        description: Failed, said with a 200.\n        source: docs\n',
      ),
    );
    expect(provider.statuses.map((s) => [s.status, s.code, s.outcome?.category ?? null])).toEqual([
      [400, 'bad_input', null],
      [503, null, 'overloaded'],
      [529, 'site_overloaded', null],
    ]);
  });

  it('orders providers by id and keeps codes in spec order', () => {
    const dir = specFolder({
      'zeta.yaml': MINIMAL_PROVIDER.replace('provider: acme', 'provider: zeta').replace('title: AcmeError', 'title: ZetaError'),
      'acme.yaml': MINIMAL_PROVIDER.replace('      bad_input:', '      zz_last_alphabetically:\n        category: unknown\n        description: z\n        source: docs\n      bad_input:'),
    });
    made.push(dir);
    const { model } = checkDir(dir);
    expect(model!.providers.map((p) => p.id)).toEqual(['acme', 'zeta']);
    expect(model!.providers[0]!.http.codes.map((c) => c.code)).toEqual(['zz_last_alphabetically', 'bad_input']);
  });
});
