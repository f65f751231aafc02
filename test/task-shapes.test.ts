/**
 * Task layers of every shape: Google's long-running operations (no status enum: `done`, left out
 * while false, then `error` or `response`), queued statuses (Runway's THROTTLED), progress on a
 * 0–1 scale, and status values that are flags or numbers.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeOutput } from '../generator/write.js';
import { recordingSleep, useScriptedServer, type ScriptedServer } from './executor-helpers.js';
import { loadPackage, typeErrors, type PackageRoot } from './generic.js';
import { checkDir, diagnosticLines, generateDir, removeDir, specFolder, tempDir } from './helpers.js';

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

async function generated(files: Record<string, string>): Promise<{ root: PackageRoot; readme: string }> {
  const dir = specFolder(files);
  made.push(dir);
  const result = await generateDir(dir);
  expect(diagnosticLines(result)).toEqual([]);
  expect(await typeErrors(result.output!)).toBe('');
  const out = join(tempDir(), 'generated');
  made.push(join(out, '..'));
  writeOutput(out, result.output!.files);
  const readme = result.output!.files.find((f) => f.path === 'README.md')!.content;
  return { root: (await loadPackage(out, result.model!)).root, readme };
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
