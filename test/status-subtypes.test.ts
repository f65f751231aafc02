/**
 * A provider without error codes: its statuses decide, and a status that stands for a code tells
 * that code's sub-types apart by the message (Runway's 429 of a daily quota, which no retry helps).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { generatedPackage } from './generic.js';
import { removeDir } from './helpers.js';

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

const CODELESS = `format: 2
provider: codeless
name: Codeless
sources:
  errors: { document: docs/errors.md }
layers:
  http:
    envelope: { title: CodelessError, type: object, properties: { error: { type: string } } }
    fields: { code: code, message: error }
    statuses:
      "429": { code: rate_limit }
    codes:
      rate_limit:
        category: rate_limited
        description: Too many requests.
        source: errors
        subtypes:
          - id: daily_quota
            contains: [daily task limit]
            description: The daily generation quota is spent; it resets after 24 hours.
            retryable: false
            action: retry_later
    examples:
      - name: a daily quota (sdk-python issue 23)
        status: 429
        body: { error: Your daily task limit has been reached. }
        expect: { category: rate_limited, code: null, known: false, subtype: daily_quota, retryable: false }
      - name: a rate limit
        status: 429
        body: { error: Too many requests. }
        expect: { category: rate_limited, subtype: null, retryable: true }
  task:
    envelope: { title: CodelessTask, type: object, properties: { id: { type: string }, status: { type: string }, progress: { type: number } } }
    status: { field: status, running: [RUNNING], completed: [SUCCEEDED], failed: [FAILED] }
    progressScale: 1
    fields: { taskId: id, progress: progress }
    submit: { taskId: id, source: errors }
    poll: { intervalMs: 1000, timeoutMs: 60000, source: errors }
    codes: {}
`;

describe('a status that stands for a code', () => {
  it('tells its sub-types apart by the message; the README says the statuses decide', async () => {
    const { root, readme } = await generatedPackage({ 'codeless.yaml': CODELESS }, made);
    expect(root.classifyResponse('codeless', { status: 429, body: { error: 'Your daily task limit has been reached.' } })).toMatchObject({ subtype: 'daily_quota', retryable: false, action: 'retry_later' });
    expect(root.classifyResponse('codeless', { status: 429, body: { error: 'Slow down.' } })).toMatchObject({ subtype: null, retryable: true });
    expect(readme).toContain('Failed tasks: no code declared; one reads as `unknown`');
    const bare = CODELESS.replace(/    statuses:[\s\S]*?  task:/, '    statuses:\n      "429": { category: rate_limited, description: Too many requests., source: errors }\n    codes: {}\n  task:');
    expect((await generatedPackage({ 'codeless.yaml': bare }, made)).readme).toContain('HTTP errors: no code declared; its status decides (below).');
    // A progress of 0.275 on a 0–1 scale reads 27.5, not 27.500000000000004.
    const taskState = root.taskState as (provider: string, body: unknown) => { progress: number | null } | null;
    expect(taskState('codeless', { id: 't', status: 'RUNNING', progress: 0.275 })?.progress).toBe(27.5);
  });
});
