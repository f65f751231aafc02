/**
 * Failures inside a success: a 2xx response or a completed task whose content says it failed
 * (Stability's finish-reason header, Gemini's finishReason, a Veo operation whose videos were all
 * filtered out), and a task whose result is fetched apart and can fail there (fal's response_url).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { providerPage } from '../generator/docs/provider-page.js';
import { recordingSleep, useScriptedServer, type ScriptedServer } from './executor-helpers.js';
import { generatedPackage, type PackageRoot } from './generic.js';
import { checkDir, diagnosticLines, rejection, removeDir, specFolder } from './helpers.js';
import type { ClassifiedError, ProviderError } from '../generated/index.js';

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

let server: ScriptedServer;
useScriptedServer((s) => (server = s));

/** Soft failures in both layers: a header, a value that is the code, and a pair of conditions. */
const SOFTS = `format: 2
provider: softs
name: Softs
sources:
  docs: { document: docs/softs.md }
layers:
  http:
    envelope: { title: SoftsError, type: object, properties: { error: { type: object, properties: { code: { type: string }, message: { type: string } } } } }
    fields: { code: error.code, message: error.message }
    softFailures:
      - when: { at: header:finish-reason, is: [CONTENT_FILTERED] }
        code: CONTENT_FILTERED
        source: docs
        note: The image comes back blurred.
      - when: { at: "candidates[0].finishReason", is: [SAFETY, NO_IMAGE] }
        message: "candidates[0].finishMessage"
        source: docs
    codes:
      CONTENT_FILTERED: { category: content_policy, description: The output was blurred by the content filter., source: docs }
      SAFETY: { category: content_policy, description: Blocked for safety., source: docs }
      NO_IMAGE: { category: generation_failed, retryable: true, description: No image was made., source: docs }
    examples:
      - name: a blurred image
        status: 200
        headers: { finish-reason: CONTENT_FILTERED }
        text: "<image bytes>"
        expect: { category: content_policy, code: CONTENT_FILTERED, known: true, conforms: false }
      - name: a clean image
        status: 200
        headers: { finish-reason: SUCCESS }
        text: "<image bytes>"
        expect: null
  task:
    envelope:
      title: SoftsTask
      type: object
      properties:
        id: { type: string }
        status: { type: string }
        output: { type: object }
    status: { field: status, running: [RUNNING], completed: [COMPLETED], failed: [FAILED] }
    fields: { taskId: id, code: error.code, message: error.message }
    submit: { taskId: id, source: docs }
    poll: { intervalMs: 500, timeoutMs: 600000, source: docs }
    softFailures:
      - when:
          - { at: output.filteredCount, above: 0 }
          - { at: output.videos, empty: true }
        code: FILTERED
        message: "output.filteredReasons[0]"
        source: docs
      - when: { at: output.videos, empty: true }
        code: NO_OUTPUT
        source: docs
    codes:
      FILTERED: { category: content_policy, description: Every video was filtered out., source: docs }
      NO_OUTPUT: { category: generation_failed, retryable: true, description: The task made nothing., source: docs }
    examples:
      - name: every video filtered
        body: { id: t1, status: COMPLETED, output: { filteredCount: 2, videos: [], filteredReasons: [celebrity] } }
        expect: { category: content_policy, code: FILTERED, message: celebrity }
      - name: a video made
        body: { id: t1, status: COMPLETED, output: { filteredCount: 1, videos: [v.mp4] } }
        expect: null
`;

/** A queue whose completed status names the URL of the result, which can itself fail. */
const QUEUE = `format: 2
provider: queue
name: Queue
sources:
  docs: { document: docs/queue.md }
layers:
  http:
    envelope: { title: QueueError, type: object, properties: { error: { type: object, properties: { code: { type: string }, message: { type: string } } } } }
    fields: { code: error.code, message: error.message }
    codes:
      model_error: { status: 422, category: invalid_request, description: The model rejected the input., source: docs }
  task:
    envelope: { title: QueueTask, type: object, properties: { request_id: { type: string }, status: { type: string }, response_url: { type: string } } }
    status: { field: status, queued: [IN_QUEUE], running: [IN_PROGRESS], completed: [COMPLETED] }
    fields: { taskId: request_id }
    submit: { taskId: request_id, source: docs }
    poll: { intervalMs: 500, timeoutMs: 600000, source: docs }
    result: { url: response_url, source: docs, note: The status says only that the request ended. }
    codes: {}
`;

let softs: Promise<{ root: PackageRoot; readme: string; page: string }> | undefined;
function generated(): Promise<{ root: PackageRoot; readme: string; page: string }> {
  softs ??= generatedPackage({ 'softs.yaml': SOFTS, 'queue.yaml': QUEUE }, made).then(({ root, readme, model }) => ({
    root,
    readme,
    page: providerPage(model, model.providers.find((p) => p.id === 'softs')!).replace(/<wbr>/g, ''),
  }));
  return softs;
}

type ClassifySuccess = (provider: string, response: unknown) => ClassifiedError | null;
type RunTask = (provider: string, request: { submit: Request; poll: (id: string) => string | Request }, options?: object) => Promise<unknown>;
type PollTask = (provider: string, status: string | Request, options?: object) => Promise<unknown>;

describe('a 2xx response whose content says it failed', () => {
  it('classifySuccess: null for a success, the failure a soft failure names, any failed status as classifyResponse', async () => {
    const { root } = await generated();
    const classifySuccess = root.classifySuccess as ClassifySuccess;
    expect(classifySuccess('softs', { status: 200, headers: { 'Finish-Reason': 'CONTENT_FILTERED' }, body: 'bytes' })).toMatchObject({
      source: 'http',
      status: 200,
      code: 'CONTENT_FILTERED',
      known: true,
      category: 'content_policy',
      retryable: false,
      message: 'The output was blurred by the content filter.',
    });
    expect(classifySuccess('softs', { status: 200, headers: { 'finish-reason': 'SUCCESS' }, body: 'bytes' })).toBeNull();
    // Without a code of its own, the value read is the code; the rule's message path gives the message.
    expect(classifySuccess('softs', { status: 200, body: { candidates: [{ finishReason: 'SAFETY', finishMessage: 'Blocked: violence' }] } })).toMatchObject({ code: 'SAFETY', message: 'Blocked: violence', category: 'content_policy' });
    expect(classifySuccess('softs', { status: 200, body: JSON.stringify({ candidates: [{ finishReason: 'NO_IMAGE' }] }) })).toMatchObject({ code: 'NO_IMAGE', retryable: true, message: 'No image was made.' });
    expect(classifySuccess('softs', { status: 200, body: { candidates: [{ finishReason: 'STOP' }] } })).toBeNull();
    expect(classifySuccess('softs', { status: 201, body: { candidates: [] } })).toBeNull();
    expect(classifySuccess('softs', { status: 503, body: 'busy' })).toMatchObject({ category: 'overloaded', status: 503 });
    // classifyResponse on the same 2xx names the same failure.
    expect(root.classifyResponse('softs', { status: 200, headers: { 'finish-reason': 'CONTENT_FILTERED' } })).toMatchObject({ code: 'CONTENT_FILTERED', known: true });
    // A provider without soft failures: a 2xx is a success.
    expect(classifySuccess('queue', { status: 200, headers: { 'finish-reason': 'CONTENT_FILTERED' }, body: {} })).toBeNull();
    // Hostile input never throws, and shows no failure.
    const hostile = new Proxy({}, { get: () => { throw new Error('no'); }, ownKeys: () => { throw new Error('no'); } });
    expect(classifySuccess('softs', { status: 200, headers: hostile, body: hostile })).toBeNull();
    expect(classifySuccess('softs', { status: 200, body: { candidates: [{ finishReason: { toString: () => 'SAFETY' } }] } })).toBeNull();
  });

  it('the README and the site list them, with their sources', async () => {
    const { readme, page } = await generated();
    expect(readme).toContain('- `classifySuccess(provider, { status, headers?, body? })`');
    expect(readme).toContain('A 2xx response fails (the first that holds decides):\n\n- when `header:finish-reason` is `CONTENT_FILTERED`: `CONTENT_FILTERED`\n- when `candidates[0].finishReason` is `SAFETY` or `NO_IMAGE`: the value is the code (message at `candidates[0].finishMessage`)');
    expect(readme).toContain('A completed task fails (the first that holds decides):\n\n- when `output.filteredCount` is above 0 and `output.videos` is empty or absent: `FILTERED` (message at `output.filteredReasons[0]`)');
    expect(page).toContain('A 2xx response fails when <code>header:finish-reason</code> is <code>CONTENT_FILTERED</code>: <code>CONTENT_FILTERED</code>. <span class="note">The image comes back blurred.</span> (Source: docs.)');
  });
});

describe('a completed task whose content says it failed', () => {
  it('is a failed task: taskState, classifyTask and classifyFetchTask agree', async () => {
    const { root } = await generated();
    const taskState = root.taskState as (provider: string, body: unknown) => { state: string; status: string } | null;
    const filtered = { id: 't1', status: 'COMPLETED', output: { filteredCount: 2, videos: [], filteredReasons: ['celebrity'] } };
    expect(taskState('softs', filtered)).toMatchObject({ state: 'failed', status: 'COMPLETED' });
    expect(root.classifyTask('softs', filtered)).toMatchObject({ source: 'task', code: 'FILTERED', known: true, category: 'content_policy', message: 'celebrity' });
    const made = { id: 't1', status: 'COMPLETED', output: { filteredCount: 1, videos: ['v.mp4'] } };
    expect(taskState('softs', made)).toMatchObject({ state: 'completed' });
    expect(root.classifyTask('softs', made)).toBeNull();
    // A running task is never judged by what it has not made yet.
    expect(root.classifyTask('softs', { id: 't1', status: 'RUNNING', output: { videos: [] } })).toBeNull();
    const classifyFetchTask = root.classifyFetchTask as (provider: string, response: Response) => Promise<ClassifiedError | null>;
    expect(await classifyFetchTask('softs', Response.json({ id: 't1', status: 'COMPLETED', output: {} }))).toMatchObject({ code: 'NO_OUTPUT', retryable: true });
  });

  it('runTask gives up on a final one, and submits again on a retryable one', async () => {
    const { root } = await generated();
    const runTask = root.runTask as RunTask;
    const submit = (): Request => new Request(`${server.base}/v1/videos`, { method: 'POST', body: '{}' });
    server.script('/v1/videos', [{ status: 200, body: { id: 'f1', status: 'RUNNING' } }]);
    server.script('/v1/videos/f1', [
      { status: 200, body: { id: 'f1', status: 'RUNNING' } },
      { status: 200, body: { id: 'f1', status: 'COMPLETED', output: { filteredCount: 1, videos: [], filteredReasons: ['minor'] } } },
    ]);
    const final = await rejection<ProviderError>(runTask('softs', { submit: submit(), poll: (id) => `${server.base}/v1/videos/${id}` }, { sleep: recordingSleep().sleep }));
    expect(final).toMatchObject({ giveUp: 'task_failed', code: 'FILTERED', category: 'content_policy', taskId: 'f1', attempts: 3 });
    expect(server.seen('/v1/videos')).toHaveLength(1);

    server.script('/v1/videos', [{ status: 200, body: { id: 'n1' } }, { status: 200, body: { id: 'n2' } }]);
    server.script('/v1/videos/n1', [{ status: 200, body: { id: 'n1', status: 'COMPLETED', output: { videos: [] } } }]);
    server.script('/v1/videos/n2', [{ status: 200, body: { id: 'n2', status: 'COMPLETED', output: { videos: ['v.mp4'] } } }]);
    const resubmits: string[] = [];
    const body = await runTask('softs', { submit: submit(), poll: (id) => `${server.base}/v1/videos/${id}` }, { sleep: recordingSleep().sleep, onRetry: (e: { error: ClassifiedError }) => resubmits.push(e.error.code!) });
    expect(body).toEqual({ id: 'n2', status: 'COMPLETED', output: { videos: ['v.mp4'] } });
    expect(resubmits).toEqual(['NO_OUTPUT']);
    expect(server.seen('/v1/videos')).toHaveLength(2);
  });
});

describe('a task whose result is fetched apart', () => {
  it('is fetched with the status request’s headers, on its origin only, and resolves with the result', async () => {
    const { root, readme } = await generated();
    expect(readme).toContain("A completed task's result is fetched from the URL at `response_url`; a failure of that fetch is the task's.");
    const pollTask = root.pollTask as PollTask;
    const status = (): Request => new Request(`${server.base}/requests/q1/status`, { headers: { authorization: 'Key secret' } });
    server.script('/requests/q1/status', [
      { status: 200, body: { request_id: 'q1', status: 'IN_QUEUE' } },
      { status: 200, body: { request_id: 'q1', status: 'COMPLETED', response_url: `${server.base}/requests/q1` } },
    ]);
    server.script('/requests/q1', [{ status: 200, body: { images: [{ url: 'https://cdn/1.png' }] } }]);
    expect(await pollTask('queue', status(), { sleep: recordingSleep().sleep })).toEqual({ images: [{ url: 'https://cdn/1.png' }] });
    expect(server.seen('/requests/q1').map((s) => [s.method, s.headers.authorization])).toEqual([['GET', 'Key secret']]);

    // A result elsewhere is fetched without the credentials; a relative URL is resolved against the status request's.
    server.script('/requests/q1/status', [{ status: 200, body: { request_id: 'q1', status: 'COMPLETED', response_url: server.base.replace('127.0.0.1', 'localhost') + '/requests/q1' } }]);
    server.script('/requests/q1', [{ status: 200, body: {} }]);
    await pollTask('queue', status(), { sleep: recordingSleep().sleep });
    expect(server.seen('/requests/q1').map((s) => s.headers.authorization)).toEqual([undefined]);
    server.script('/requests/q1/status', [{ status: 200, body: { request_id: 'q1', status: 'COMPLETED', response_url: '../q1' } }]);
    server.script('/requests/q1', [{ status: 200, body: {} }]);
    await pollTask('queue', status(), { sleep: recordingSleep().sleep });
    expect(server.seen('/requests/q1').map((s) => s.headers.authorization)).toEqual(['Key secret']);
  });

  it("a failed result fetch is the task's failure, classified as the HTTP response it is; a missing URL is reported", async () => {
    const { root } = await generated();
    const runTask = root.runTask as RunTask;
    server.script('/queue/model', [{ status: 200, body: { request_id: 'q2', status: 'IN_QUEUE' } }]);
    server.script('/requests/q2/status', [{ status: 200, body: { request_id: 'q2', status: 'COMPLETED', response_url: `${server.base}/requests/q2` } }]);
    server.script('/requests/q2', [{ status: 422, body: { error: { code: 'model_error', message: 'The image is too small.' } } }]);
    const request = { submit: new Request(`${server.base}/queue/model`, { method: 'POST', body: '{}' }), poll: (id: string) => `${server.base}/requests/${id}/status` };
    const error = await rejection<ProviderError>(runTask('queue', request, { sleep: recordingSleep().sleep }));
    expect(error).toMatchObject({ giveUp: 'task_failed', source: 'http', status: 422, code: 'model_error', message: expect.stringContaining('The image is too small.'), taskId: 'q2' });
    expect(server.seen('/queue/model')).toHaveLength(1);

    server.script('/requests/q3/status', [{ status: 200, body: { request_id: 'q3', status: 'COMPLETED' } }]);
    const missing = await rejection<ProviderError>((root.pollTask as PollTask)('queue', `${server.base}/requests/q3/status`, { sleep: recordingSleep().sleep }));
    expect(missing).toMatchObject({ giveUp: 'not_retryable', message: expect.stringContaining('the completed task gives no result URL at response_url') });
  });
});

describe('soft failures, misused', () => {
  it('are reported at the field they concern', () => {
    const dir = specFolder({
      'softs.yaml': SOFTS.replace('        code: CONTENT_FILTERED\n        source: docs\n', '        code: CONTENT_FILTRED\n        source: docs\n')
        .replace('is: [SAFETY, NO_IMAGE] }', 'is: [SAFETY, NO_PICTURE] }')
        .replace('- { at: output.filteredCount, above: 0 }', '- { at: output.filteredCount, above: 0, empty: false }')
        .replace('      - when: { at: output.videos, empty: true }\n        code: NO_OUTPUT\n', '      - when: { at: output.videos, empty: true }\n')
        .replace('message: "output.filteredReasons[0]"', 'message: "header:x-reason"'),
    });
    made.push(dir);
    expect(diagnosticLines(checkDir(dir))).toEqual([
      'softs.yaml:12:15: unknown http code "CONTENT_FILTRED" (did you mean "CONTENT_FILTERED"?)',
      'softs.yaml:15:64: unknown http code "NO_PICTURE"; without a code of its own, the rule\'s value is the code',
      'softs.yaml:47:13: a condition tests its value one way: give exactly one of is, above, empty (it gives above, empty)',
      'softs.yaml:50:18: "header:x-reason": only a code, a request id, a stated wait and a soft failure\'s condition may be read from a header',
      'softs.yaml:52:9: give the code this failure is, or make the first condition an `is` list whose values are declared codes (finishReason: SAFETY is the code SAFETY)',
    ]);
  });

  it('a 2xx example may expect no failure; a failed one may not', () => {
    const failed = specFolder({ 'softs.yaml': SOFTS.replace('    examples:\n      - name: a blurred image', '    examples:\n      - name: a failure\n        status: 400\n        expect: null\n      - name: a blurred image') });
    const wrong = specFolder({ 'softs.yaml': SOFTS.replace('headers: { finish-reason: SUCCESS }', 'headers: { finish-reason: CONTENT_FILTERED }') });
    made.push(failed, wrong);
    expect(diagnosticLines(checkDir(failed))).toEqual(['softs.yaml:25:17: a failed response always classifies; expect may be null only for a 2xx response that carries no failure']);
    expect(diagnosticLines(checkDir(wrong))).toEqual(['softs.yaml:32:17: example "a clean image": expected no failure, got category "content_policy"']);
  });
});
