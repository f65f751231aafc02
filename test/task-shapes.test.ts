/**
 * Task layers of every shape: Google's long-running operations (no status enum: `done`, left out
 * while false, then `error` or `response`), queued statuses (Runway's THROTTLED), progress on a
 * 0–1 scale, and status values that are flags or numbers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { recordingSleep, useScriptedServer, type ScriptedServer } from './executor-helpers.js';
import { generatedPackage, type PackageRoot } from './generic.js';
import { checkDir, diagnosticLines, removeDir, specFolder } from './helpers.js';

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

let server: ScriptedServer;
useScriptedServer((s) => (server = s));

/** Google's long-running operations: `done` is left out while false; a failure is a google.rpc.Status. */
const OPERATIONS = `format: 2
provider: operations
name: Operations
sources:
  lro: { document: docs/long-running.md }
layers:
  http:
    envelope: { title: OperationsError, type: object, properties: { error: { type: object, properties: { status: { type: string }, message: { type: string } } } } }
    fields: { code: error.status, message: error.message }
    codes: {}
  task:
    envelope:
      title: Operation
      type: object
      required: [name]
      properties:
        name: { type: string }
        done: { type: boolean }
        error: { type: object, properties: { code: { type: integer }, message: { type: string } } }
        response: { type: object }
        metadata: { type: object, properties: { progressFraction: { type: number } } }
    status: { field: done, running: [false], ended: [true], absent: false }
    progressScale: 1
    fields: { code: error.code, message: error.message, taskId: name, progress: metadata.progressFraction }
    submit: { taskId: name, source: lro }
    poll: { intervalMs: 1000, timeoutMs: 600000, source: lro }
    codes:
      "8":
        category: rate_limited
        description: RESOURCE_EXHAUSTED.
        source: lro
      "3":
        category: invalid_request
        description: INVALID_ARGUMENT.
        source: lro
        examples:
          - body: { name: operations/9, done: true, error: { code: 3, message: Bad prompt } }
            expect: { category: invalid_request, code: "3", known: true }
    examples:
      - name: a running operation leaves done out
        body: { name: operations/1, metadata: { progressFraction: 0.5 } }
        expect: null
      - name: a finished operation with a response succeeded
        body: { name: operations/1, done: true, response: { videos: [] } }
        expect: null
`;

const QUEUED = `format: 2
provider: queued
name: Queued
sources:
  docs: { document: docs/tasks.md }
layers:
  http:
    envelope: { title: QueuedError, type: object, properties: { error: { type: string } } }
    fields: { code: error, message: error }
    codes: {}
  task:
    envelope: { title: QueuedTask, type: object, properties: { id: { type: string }, status: { type: string }, progress: { type: number } } }
    status: { field: status, failed: [FAILED], cancelled: [CANCELLED], completed: [SUCCEEDED], running: [RUNNING], queued: [PENDING, THROTTLED] }
    progressScale: 1
    fields: { message: failure, taskId: id, progress: progress }
    submit: { taskId: id, source: docs }
    poll: { intervalMs: 5000, timeoutMs: 600000, source: docs }
    codes: {}
`;

function generated(files: Record<string, string>): Promise<{ root: PackageRoot; readme: string }> {
  return generatedPackage(files, made);
}

describe('task layers of every shape', () => {
  it("Google's operations: done left out means running; done with an error failed, without one completed", async () => {
    const { root, readme } = await generated({ 'operations.yaml': OPERATIONS });
    expect(readme).toContain('Task states (`done`): ended (failed with an error, else completed): `true`; running: `false`.');
    expect(readme).toContain('A body that names a task without the field has the status `false`. Progress (`metadata.progressFraction`) runs from 0 to 1, reported from 0 to 100.');
    const taskState = root.taskState as (provider: string, body: unknown) => { state: string; status: string; progress: number | null; taskId: string | null } | null;
    expect(taskState('operations', { name: 'operations/1', metadata: { progressFraction: 0.25 } })).toMatchObject({ state: 'running', status: 'false', progress: 25, taskId: 'operations/1' });
    expect(taskState('operations', { name: 'operations/1', done: false })).toMatchObject({ state: 'running', status: 'false' });
    expect(taskState('operations', { name: 'operations/1', done: true, response: {} })).toMatchObject({ state: 'completed', status: 'true' });
    expect(taskState('operations', { name: 'operations/1', done: true, error: { code: 8, message: 'Quota exceeded' } })).toMatchObject({ state: 'failed' });
    // A body that names no task, and has no status, is not a task body.
    expect(taskState('operations', { metadata: {} })).toBeNull();
    expect(taskState('operations', { name: 'operations/1', done: 'maybe' })).toMatchObject({ state: 'running', status: 'maybe' });
    expect(root.classifyTask('operations', { name: 'operations/1', done: true, error: { code: 8, message: 'Quota exceeded' } })).toMatchObject({ code: '8', known: true, category: 'rate_limited', retryable: true });
    expect(root.classifyTask('operations', { name: 'operations/1', done: true, response: {} })).toBeNull();
    expect(root.classifyTask('operations', { name: 'operations/1' })).toBeNull();
  });

  it('pollTask follows an operation from no done to done with a response', async () => {
    const { root } = await generated({ 'operations.yaml': OPERATIONS });
    server.script('/v1/operations/7', [
      { status: 200, body: { name: 'operations/7', metadata: { progressFraction: 0.1 } } },
      { status: 200, body: { name: 'operations/7', metadata: { progressFraction: 0.9 } } },
      { status: 200, body: { name: 'operations/7', done: true, response: { video: 'v.mp4' } } },
    ]);
    const progress: (number | null)[] = [];
    const pollTask = root.pollTask as (provider: string, status: string, options: object) => Promise<unknown>;
    const body = await pollTask('operations', `${server.base}/v1/operations/7`, { sleep: recordingSleep().sleep, onProgress: (s: { progress: number | null }) => progress.push(s.progress) });
    expect(body).toEqual({ name: 'operations/7', done: true, response: { video: 'v.mp4' } });
    expect(progress).toEqual([10, 90, null]);
    server.script('/v1/operations/8', [{ status: 200, body: { name: 'operations/8', done: true, error: { code: 3, message: 'Bad prompt' } } }]);
    const failed = await pollTask('operations', `${server.base}/v1/operations/8`, { sleep: recordingSleep().sleep }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ giveUp: 'task_failed', code: '3', category: 'invalid_request', taskId: 'operations/8' });
  });

  it('queued statuses run on; progress on a 0–1 scale is reported from 0 to 100', async () => {
    const { root, readme } = await generated({ 'queued.yaml': QUEUED });
    expect(readme).toContain('completed: `SUCCEEDED`; running: `RUNNING`; queued (running, not started): `PENDING`, `THROTTLED`.');
    const taskState = root.taskState as (provider: string, body: unknown) => { state: string; progress: number | null } | null;
    expect(taskState('queued', { id: 't', status: 'THROTTLED' })).toMatchObject({ state: 'running' });
    expect(taskState('queued', { id: 't', status: 'RUNNING', progress: 0.42 })).toMatchObject({ state: 'running', progress: 42 });
    expect(root.classifyTask('queued', { id: 't', status: 'THROTTLED', failure: 'still waiting' })).toBeNull();
    expect(root.classifyTask('queued', { id: 't', status: 'FAILED', failure: 'boom' })).toMatchObject({ category: 'unknown', message: 'boom' });
  });

  it('a value listed twice (true and "true" are one), an absent status listed nowhere and a class list of nothing are reported', () => {
    const twice = OPERATIONS.replace('status: { field: done, running: [false], ended: [true], absent: false }', 'status: { field: done, running: [false, "true"], ended: [true], absent: "no" }');
    const dir = specFolder({ 'operations.yaml': twice });
    made.push(dir);
    expect(diagnosticLines(checkDir(dir))).toEqual([
      'operations.yaml:22:45: status "true" is already listed under ended',
      'operations.yaml:22:77: absent: "no" is listed under no class; list it (Google\'s done: false under running)',
    ]);
    const none = specFolder({ 'operations.yaml': OPERATIONS.replace('status: { field: done, running: [false], ended: [true], absent: false }', 'status: { field: done }') });
    made.push(none);
    expect(diagnosticLines(checkDir(none))).toEqual(['operations.yaml:22:13: no status value is listed: list at least the failed or ended ones']);
  });
});

/** Stability's results: 202 with a status while the task runs, 200 with the result (not JSON when asked for bytes). */
const RESULTS = `format: 2
provider: results
name: Results
sources:
  docs: { document: docs/results.md }
layers:
  http:
    envelope: { title: ResultsError, type: object, properties: { name: { type: string }, errors: { type: array } } }
    fields: { code: name, message: "errors[0]" }
    codes: {}
  task:
    envelope: { title: ResultsTask, type: object, properties: { id: { type: string }, status: { type: string } } }
    status: { field: status, running: [in-progress], http: { "202": running, "200": completed } }
    fields: { taskId: id }
    submit: { taskId: id, source: docs }
    poll:
      intervalMs: 1000
      timeoutMs: 600000
      after: [{ at: header:x-poll-after-ms, format: milliseconds }, { at: retry_in, format: seconds }]
      source: docs
    codes: {}
`;

describe('the status request itself: its HTTP status and the wait it states', () => {
  it('202 runs and 200 completes, whatever the body; a finished body that is not JSON comes back as it came', async () => {
    const { root, readme } = await generated({ 'results.yaml': RESULTS });
    expect(readme).toContain("The status request's own HTTP status decides over the body: 200 completed, 202 running.");
    expect(readme).toContain('tasks are polled every 1 s, for at most 10 min, or after the wait a status response states at `header:x-poll-after-ms` (milliseconds), then `retry_in` (seconds)');
    const pollTask = root.pollTask as (provider: string, status: string, options: object) => Promise<unknown>;
    server.script('/v2/results/r1', [
      { status: 202, headers: { 'x-poll-after-ms': '2500' }, body: { id: 'r1', status: 'in-progress' } },
      { status: 202, body: { id: 'r1', status: 'in-progress', retry_in: 4 } },
      { status: 202, headers: { 'x-poll-after-ms': '5' }, body: { id: 'r1', status: 'in-progress' } },
      { status: 200, headers: { 'content-type': 'video/mp4' }, body: 'not json: the video' },
    ]);
    const { sleep, waits } = recordingSleep();
    expect(await pollTask('results', `${server.base}/v2/results/r1`, { sleep })).toBe('not json: the video');
    // The first status request goes at once; then each wait is the one stated, 100 ms at least.
    expect(waits).toEqual([2500, 4000, 100]);
    // 200 with a JSON body that has no status: completed, by the status of the answer.
    server.script('/v2/results/r2', [{ status: 200, body: { video: 'base64…', finish_reason: 'SUCCESS' } }]);
    expect(await pollTask('results', `${server.base}/v2/results/r2`, { sleep })).toEqual({ video: 'base64…', finish_reason: 'SUCCESS' });
    // classifyFetchTask agrees: a finished result is not a failure, a 202 body runs on.
    const classifyFetchTask = root.classifyFetchTask as (provider: string, response: Response) => Promise<unknown>;
    expect(await classifyFetchTask('results', new Response('bytes', { status: 200 }))).toBeNull();
    expect(await classifyFetchTask('results', new Response(JSON.stringify({ id: 'r3', status: 'in-progress' }), { status: 202 }))).toBeNull();
    expect(await classifyFetchTask('results', new Response('bytes', { status: 202 }))).toMatchObject({ category: 'unknown', message: expect.stringContaining('it was not JSON') });
  });

  it('only a 2xx status may decide', () => {
    const dir = specFolder({ 'results.yaml': RESULTS.replace('http: { "202": running, "200": completed }', 'http: { "202": running, "404": failed }') });
    made.push(dir);
    expect(diagnosticLines(checkDir(dir))).toEqual([
      'results.yaml:13:78: status 404: only a 2xx answer is read as a task body; a failed status request is classified as the HTTP failure it is',
    ]);
  });
});
