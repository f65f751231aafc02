/**
 * pollTask, runTask and taskState against scripted providers on 127.0.0.1: rules 5 and 6 of the
 * contract's section 5, and every provider's task layer from bodies shaped like its documents.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pollTask, providerIds, runTask, taskState, type ProviderId } from '../generated/index.js';
import * as evolink from '../generated/evolink/index.js';
import * as wubble from '../generated/wubble/index.js';
import { abortListeners, ltxError, recordingSleep, rejection, useScriptedServer, type ScriptedServer } from './executor-helpers.js';
import type { FieldPath } from '../generator/runtime/types.js';
import { checkDir, placeAt, readText, SPEC_DIR, startServer } from './helpers.js';

let server: ScriptedServer;
let base: string;
useScriptedServer((s) => {
  server = s;
  base = s.base;
});

const job = (id: string, status: string, extra: Record<string, unknown> = {}) => ({ status: 200, body: { id, status, ...extra } });

describe('pollTask (rule 5)', () => {
  it('polls at the spec cadence until the task completes, reporting each change', async () => {
    server.script('/v1/tasks/t1', [job('t1', 'pending', { progress: 0 }), job('t1', 'processing', { progress: 40 }), job('t1', 'processing', { progress: 40 }), job('t1', 'completed', { progress: 100, results: ['https://x/1.mp4'] })]);
    const { sleep, waits } = recordingSleep();
    const progress: unknown[] = [];
    const body = await evolink.pollTask(`${base}/v1/tasks/t1`, { sleep, onProgress: (s) => progress.push([s.state, s.status, s.progress, s.taskId]) });
    expect(body).toEqual({ id: 't1', status: 'completed', progress: 100, results: ['https://x/1.mp4'] });
    // Evolink's seed polls every 3 s.
    expect(waits).toEqual([3000, 3000, 3000]);
    expect(progress).toEqual([
      ['running', 'pending', 0, 't1'],
      ['running', 'processing', 40, 't1'],
      ['completed', 'completed', 100, 't1'],
    ]);
  });

  it("follows a growing cadence (FoxAPI), and a task's own estimate (Wubble)", async () => {
    server.script('/v1/tasks/f1', [...Array.from({ length: 6 }, () => job('f1', 'processing')), job('f1', 'completed')]);
    const fox = recordingSleep();
    await pollTask('foxapi', `${base}/v1/tasks/f1`, { sleep: fox.sleep });
    expect(fox.waits).toEqual([5000, 7500, 11250, 16875, 20000, 20000]);
    const request = (status: string, eta?: number) => ({ status: 200, body: { success: true, data: { request_id: 'w1', status, ...(eta === undefined ? {} : { estimated_seconds: eta }) } } });
    server.script('/v1/requests/w1', [request('accepted', 9), request('processing', 0.5), request('processing', 60), request('completed')]);
    const wub = recordingSleep();
    await wubble.pollTask(`${base}/v1/requests/w1`, { sleep: wub.sleep });
    // 9 s as estimated; then no less than the interval (2 s), and no more than 15 s.
    expect(wub.waits).toEqual([9000, 2000, 15000]);
  });

  it('a failed task rejects with source task, task_failed and the task id; it is never polled again', async () => {
    server.script('/v1/tasks/t2', [job('t2', 'processing'), job('t2', 'failed', { error: { code: 'content_policy_violation', message: 'celebrity detected in image' } }), job('t2', 'completed')]);
    const error = await rejection(pollTask('evolink', `${base}/v1/tasks/t2`, { sleep: recordingSleep().sleep }));
    expect([error.source, error.giveUp, error.category, error.code, error.subtype, error.taskId, error.attempts]).toEqual(['task', 'task_failed', 'content_policy', 'content_policy_violation', 'celebrity_likeness', 't2', 2]);
    expect(server.seen('/v1/tasks/t2')).toHaveLength(2);
  });

  it('a cancelled task rejects with category cancelled', async () => {
    server.script('/v1/tasks/t3', [job('t3', 'cancelled')]);
    const error = await rejection(pollTask('foxapi', `${base}/v1/tasks/t3`, { sleep: recordingSleep().sleep }));
    expect([error.giveUp, error.category, error.source]).toEqual(['task_failed', 'cancelled', 'task']);
  });

  it('a status request that fails is retried under rules 1-4; one that is not retryable ends the poll', async () => {
    server.script('/v2/text-to-video/j1', [{ status: 503, body: ltxError('service_unavailable') }, 'reset-after-body', job('j1', 'completed')]);
    const { sleep, waits } = recordingSleep();
    expect(await pollTask('ltx', `${base}/v2/text-to-video/j1`, { sleep, random: () => 0 })).toEqual({ id: 'j1', status: 'completed' });
    expect(waits).toHaveLength(2);
    server.script('/v2/text-to-video/gone', [{ status: 404, body: ltxError('not_found_error', 'Job not found') }]);
    const gone = await rejection(pollTask('ltx', `${base}/v2/text-to-video/gone`, { sleep }));
    expect([gone.giveUp, gone.category, gone.source]).toEqual(['not_retryable', 'not_found', 'http']);
  });

  it('a deadline shorter than the poll interval: the last status check comes before the deadline, not never', async () => {
    let next = 0;
    server.script('/v2/text-to-video', [() => ({ status: 202, body: { id: `late${++next}` } })]);
    server.script('/v2/text-to-video/late1', [job('late1', 'processing')]);
    const started = performance.now();
    // LTX polls every 5 s; the caller gives the whole call 1.5 s.
    const error = await rejection(runTask('ltx', { submit: new Request(`${base}/v2/text-to-video`, { method: 'POST', body: '{}' }), poll: (id) => `${base}/v2/text-to-video/${id}` }, { deadlineMs: 1_500 }));
    const took = performance.now() - started;
    expect([error.category, error.giveUp, error.taskId, error.attempts]).toEqual(['timeout', 'deadline', 'late1', 2]);
    expect(server.seen('/v2/text-to-video/late1')).toHaveLength(1);
    expect(took).toBeGreaterThan(700);
    expect(took).toBeLessThan(1_800);
    // The same for a poll's own time limit: the task that completes just before it is seen completed.
    server.script('/v2/text-to-video/late2', [job('late2', 'processing'), job('late2', 'completed')]);
    expect(await pollTask('ltx', `${base}/v2/text-to-video/late2`, { timeoutMs: 1_500 })).toEqual({ id: 'late2', status: 'completed' });
  });

  it('running past timeoutMs rejects with category timeout, giveUp deadline and the task id; polling the id again resumes', async () => {
    server.script('/v2/text-to-video/j2', [job('j2', 'processing')]);
    const started = performance.now();
    const error = await rejection(pollTask('ltx', `${base}/v2/text-to-video/j2`, { intervalMs: 100, timeoutMs: 250 }));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect([error.category, error.giveUp, error.taskId]).toEqual(['timeout', 'deadline', 'j2']);
    server.script('/v2/text-to-video/j2', [job('j2', 'completed')]);
    expect(await pollTask('ltx', `${base}/v2/text-to-video/${error.taskId as string}`)).toEqual({ id: 'j2', status: 'completed' });
  });

  it('an abort during a poll wait rejects at once and leaves no timer or listener', async () => {
    server.script('/v1/tasks/t4', [job('t4', 'processing')]);
    const controller = new AbortController();
    const call = rejection(pollTask('evolink', `${base}/v1/tasks/t4`, { signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const abortedAt = performance.now();
    controller.abort();
    const error = await call;
    expect(performance.now() - abortedAt).toBeLessThan(10);
    expect([error.giveUp, error.category, error.taskId]).toEqual(['cancelled', 'cancelled', 't4']);
    expect(abortListeners(controller.signal)).toBe(0);
    expect(server.seen('/v1/tasks/t4')).toHaveLength(1);
  });

  it('a caller\'s sleep that never removes its listener gets a signal per wait: 15 waits under one signal, no leak warning', async () => {
    server.script('/v1/tasks/sloppy', [...Array.from({ length: 15 }, () => job('sloppy', 'processing')), job('sloppy', 'completed')]);
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const signals = new Set<AbortSignal>();
      const sloppy = (_ms: number, signal: AbortSignal): Promise<void> => {
        signals.add(signal);
        signal.addEventListener('abort', () => undefined);
        return Promise.resolve();
      };
      const controller = new AbortController();
      expect(await pollTask('evolink', `${base}/v1/tasks/sloppy`, { sleep: sloppy, signal: controller.signal })).toEqual({ id: 'sloppy', status: 'completed' });
      await new Promise((resolve) => setImmediate(resolve));
      expect([signals.size, warnings, abortListeners(controller.signal)]).toEqual([15, [], 0]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('polls sharing one signal add one listener to it, and leave none', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `shared${i}`);
    for (const id of ids) server.script(`/v1/tasks/${id}`, [job(id, 'processing'), job(id, 'completed')]);
    const shutdown = new AbortController();
    const polls = ids.map((id) => pollTask('evolink', `${base}/v1/tasks/${id}`, { signal: shutdown.signal, intervalMs: 200 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(abortListeners(shutdown.signal)).toBe(1);
    await Promise.all(polls);
    expect(abortListeners(shutdown.signal)).toBe(0);
  });

  it('a 200 that is not a task body ends the poll: it cannot be judged', async () => {
    server.script('/v1/tasks/t5', [{ status: 200, body: '<html>maintenance</html>' }]);
    const error = await rejection(pollTask('evolink', `${base}/v1/tasks/t5`, { sleep: recordingSleep().sleep }));
    expect([error.giveUp, error.category, error.retryable]).toEqual(['not_retryable', 'unknown', false]);
    expect(error.message).toBe('the status response is not a task body of evolink. (gave up: not retryable after 1 request)');
  });
});

describe('runTask (rule 6): a failed task is submitted again, never polled again', () => {
  const submit = () => new Request(`${base}/v2/text-to-video`, { method: 'POST', body: '{"prompt":"a cat"}', headers: { 'content-type': 'application/json' } });
  const poll = (id: string) => `${base}/v2/text-to-video/${id}`;

  it('resubmits after a retryable task failure, as a new task, and resolves with the completed body', async () => {
    let next = 0;
    server.script('/v2/text-to-video', [() => ({ status: 202, body: { id: `job${++next}`, created_at: 'now' } })]);
    server.script('/v2/text-to-video/job1', [job('job1', 'processing'), job('job1', 'failed', { error: { type: 'api_error', message: 'Internal server error' } })]);
    server.script('/v2/text-to-video/job2', [job('job2', 'processing'), job('job2', 'completed', { video_url: 'https://x/v.mp4' })]);
    const { sleep, waits } = recordingSleep();
    const resubmits: unknown[] = [];
    const body = await runTask('ltx', { submit: submit(), poll }, { sleep, random: () => 0, onRetry: (e) => resubmits.push([e.attempt, e.error.code]) });
    expect(body).toEqual({ id: 'job2', status: 'completed', video_url: 'https://x/v.mp4' });
    expect(server.seen('/v2/text-to-video').map((s) => s.body)).toEqual(['{"prompt":"a cat"}', '{"prompt":"a cat"}']);
    expect(server.seen('/v2/text-to-video/job1')).toHaveLength(2);
    expect(resubmits).toEqual([[1, 'api_error']]);
    // 5 s before the first poll of each job (LTX polls every 5 s), and the rule's wait before the resubmit.
    expect(waits).toEqual([5000, 5000, 1000, 5000, 5000]);
  });

  it('does not resubmit after a failure that is not retryable, nor past maxSubmits', async () => {
    server.script('/v2/text-to-video', [{ status: 202, body: { id: 'job9' } }]);
    server.script('/v2/text-to-video/job9', [job('job9', 'failed', { error: { type: 'content_filtered_error', message: 'filtered' } })]);
    const filtered = await rejection(runTask('ltx', { submit: submit(), poll }, { sleep: recordingSleep().sleep }));
    expect([filtered.giveUp, filtered.category, filtered.taskId]).toEqual(['task_failed', 'content_policy', 'job9']);
    expect(server.seen('/v2/text-to-video')).toHaveLength(1);
    server.script('/v2/text-to-video', [{ status: 202, body: { id: 'job9' } }]);
    server.script('/v2/text-to-video/job9', [job('job9', 'failed', { error: { type: 'api_error', message: 'boom' } })]);
    const once = await rejection(runTask('ltx', { submit: submit(), poll }, { sleep: recordingSleep().sleep, maxSubmits: 1 }));
    expect([once.giveUp, once.code]).toEqual(['task_failed', 'api_error']);
    expect(server.seen('/v2/text-to-video')).toHaveLength(1);
  });

  it('does not resubmit when the wait before it is longer than maxDelayMs: max_delay, with the failed task', async () => {
    server.script('/v2/text-to-video', [{ status: 202, body: { id: 'job7' } }]);
    server.script('/v2/text-to-video/job7', [job('job7', 'failed', { error: { type: 'api_error', message: 'boom' } })]);
    const error = await rejection(runTask('ltx', { submit: submit(), poll }, { sleep: recordingSleep().sleep, maxDelayMs: 500, random: () => 0 }));
    // The resubmit waits 1 s at least; the polls' own 5 s waits are the cadence, not a retry's.
    expect([error.giveUp, error.code, error.taskId]).toEqual(['max_delay', 'api_error', 'job7']);
    expect(server.seen('/v2/text-to-video')).toHaveLength(1);
  });

  it('Wubble: each submit is a new call, with a key of its own', async () => {
    let next = 0;
    server.script('/v1/music', [() => ({ status: 202, body: { success: true, data: { request_id: `r${++next}`, status: 'accepted' } } })]);
    server.script('/v1/requests/r1', [{ status: 200, body: { success: true, data: { request_id: 'r1', status: 'failed', error_message: 'x' } } }]);
    const error = await rejection(wubble.runTask({ submit: new Request(`${base}/v1/music`, { method: 'POST', body: '{}' }), poll: (id) => `${base}/v1/requests/${id}` }, { sleep: recordingSleep().sleep }));
    // A failed Wubble request carries no code: unknown, which is not retried.
    expect([error.giveUp, error.category, error.taskId]).toEqual(['task_failed', 'unknown', 'r1']);
    expect(server.seen('/v1/music')[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a submit response with no task id rejects without submitting again: the task may exist', async () => {
    server.script('/v2/text-to-video', [{ status: 202, body: { created_at: 'now' } }]);
    const error = await rejection(runTask('ltx', { submit: submit(), poll }, { sleep: recordingSleep().sleep }));
    expect([error.giveUp, error.retryable]).toEqual(['not_retryable', false]);
    expect(error.message).toContain('the submit response names no task id');
    expect(server.seen('/v2/text-to-video')).toHaveLength(1);
  });

  it('a bad request is a TypeError before anything is sent', async () => {
    server.script('/v2/text-to-video', [{ status: 202, body: { id: 'j' } }]);
    await expect(runTask('ltx', { submit: `${base}/v2/text-to-video` as never, poll })).rejects.toThrow(TypeError);
    await expect(runTask('ltx', { submit: submit(), poll: 'nope' as never })).rejects.toThrow(TypeError);
    expect(server.seen('/v2/text-to-video')).toHaveLength(0);
  });

  it('a poll faster than 100 ms (a tight loop at intervalMs: 0) is a TypeError before anything is sent, as the spec format holds its cadences', async () => {
    const before = server.seen().length;
    for (const options of [{ intervalMs: 0 }, { intervalMs: 99 }, { maxIntervalMs: 50 }]) {
      await expect(runTask('ltx', { submit: submit(), poll }, options)).rejects.toThrow(/must be at least 100 ms/);
      await expect(pollTask('ltx', `${base}/v2/text-to-video/x`, options)).rejects.toThrow(TypeError);
    }
    expect(server.seen()).toHaveLength(before);
    const schema = JSON.parse(readText(join(SPEC_DIR, 'schema', 'provider.schema.json'))) as { $defs: Record<string, unknown> };
    const minimums = [...JSON.stringify(schema).matchAll(/"(?:max)?[iI]ntervalMs":\{"type":"integer","minimum":(\d+)/g)].map((m) => Number(m[1]));
    expect(minimums).toEqual([100, 100]);
  });
});

describe("every provider's task layer", () => {
  const { model } = checkDir(SPEC_DIR);
  /** A body with the value at each path, shaped like the provider's status body. */
  const shaped = (entries: [FieldPath | null, unknown][]): Record<string, unknown> => {
    const body: Record<string, unknown> = {};
    for (const [path, value] of entries) if (path !== null && value !== undefined) placeAt(body, path, value);
    return body;
  };
  for (const provider of model!.providers.filter((p) => p.task)) {
    const task = provider.task!;
    const stateOf = (kind: string) => task.states.find(([, s]) => s === kind)?.[0];
    // Where no status says failed or completed, one that says the task ended does, by its error.
    const failedValue = stateOf('failed') ?? stateOf('ended');
    const completedValue = stateOf('completed') ?? stateOf('ended');
    // Where the status is the code (Replicate), the status tests below cover the codes.
    const codePath = task.fields.code[0] !== undefined && JSON.stringify(task.fields.code[0]) !== JSON.stringify(task.fields.status) ? task.fields.code[0] : null;
    const body = (status: string | undefined, code?: string) =>
      shaped([[task.taskId[0]!, 'task-1'], [task.fields.status, status], [codePath, code], [task.fields.message[0] ?? null, code ? 'message' : undefined]]);
    describe(provider.id, () => {
      // A soft failure may read anything of a completed body, so a bare one proves nothing there.
      it.skipIf(completedValue === undefined || task.softFailures.length > 0)('completed', () => {
        expect(taskState(provider.id as ProviderId, body(completedValue))).toMatchObject({ state: 'completed', taskId: 'task-1', provider: provider.id });
      });
      const placeable = failedValue !== undefined && codePath !== null ? task.codes.map((c) => c.code) : [];
      it.skipIf(placeable.length === 0).each(placeable)('failed with %s', (code) => {
        const state = taskState(provider.id as ProviderId, JSON.stringify(body(failedValue, code)));
        expect(state).toMatchObject({ state: 'failed', status: failedValue });
      });
      it.skipIf(stateOf('failed') === undefined)('failed with no code', () => {
        expect(taskState(provider.id as ProviderId, body(stateOf('failed')))?.state).toBe('failed');
      });
      it.skipIf(stateOf('cancelled') === undefined)('cancelled, where the spec declares it', () => {
        expect(taskState(provider.id as ProviderId, body(stateOf('cancelled')))?.state).toBe('cancelled');
      });
      it('an unknown status runs on, never succeeds', () => {
        expect(taskState(provider.id as ProviderId, body('some_new_status'))?.state).toBe('running');
      });
      it.each([['not JSON', '<html>'], ['no status', { id: 'x' }], ['null', null], ['a number', 42]])('%s is not a task body', (_name, value) => {
        expect(taskState(provider.id as ProviderId, value)).toBeNull();
      });
    });
  }
  it('covers every provider with tasks', () => {
    const withTasks = model!.providers.filter((p) => p.task).map((p) => p.id);
    expect(withTasks.length).toBeGreaterThan(0);
    expect(withTasks.every((id) => (providerIds as readonly string[]).includes(id))).toBe(true);
  });
});

describe('found in review', () => {
  const submit = () => new Request(`${base}/v2/text-to-video`, { method: 'POST', body: '{}' });
  const poll = (id: string) => `${base}/v2/text-to-video/${id}`;

  it('a slow submit still leaves room for the last status check before the deadline', async () => {
    const slow = await startServer((req, res) => {
      const answer = (body: unknown): void => void res.writeHead(req.method === 'POST' ? 202 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method === 'POST') setTimeout(() => answer({ id: 'slowjob' }), 600);
      else answer({ id: 'slowjob', status: 'processing' });
    });
    try {
      const error = await rejection(runTask('ltx', { submit: new Request(`${slow.base}/v2/text-to-video`, { method: 'POST', body: '{}' }), poll: (id) => `${slow.base}/v2/text-to-video/${id}` }, { deadlineMs: 1_500 }));
      expect([error.giveUp, error.taskId, error.attempts]).toEqual(['deadline', 'slowjob', 2]);
    } finally {
      await slow.close();
    }
  });

  it('a failure given up for another reason, and a resubmit reported to onRetry, say why the call stopped once, or not at all', async () => {
    let next = 0;
    server.script('/v2/text-to-video', [() => ({ status: 202, body: { id: `twice${++next}` } })]);
    server.script('/v2/text-to-video/twice1', [job('twice1', 'failed', { error: { type: 'api_error', message: 'Internal server error' } })]);
    const retried: string[] = [];
    // The resubmit's wait (1 s and more) would end past the deadline: the task's failure, given up for time.
    const error = await rejection(runTask('ltx', { submit: submit(), poll }, { intervalMs: 100, deadlineMs: 900, onRetry: (e) => retried.push(e.error.message) }));
    expect(error.message).toBe('Internal server error (gave up: out of time after 2 requests)');
    expect(retried).toEqual([]);
    next = 0;
    server.script('/v2/text-to-video/twice1', [job('twice1', 'failed', { error: { type: 'api_error', message: 'Internal server error' } })]);
    server.script('/v2/text-to-video/twice2', [job('twice2', 'completed')]);
    await runTask('ltx', { submit: submit(), poll }, { intervalMs: 100, sleep: recordingSleep().sleep, onRetry: (e) => retried.push(e.error.message) });
    expect(retried).toEqual(['Internal server error']);
  });

  it("runTask's timeoutMs stops a status request in flight, with category timeout and the task id", async () => {
    server.script('/v2/text-to-video', [{ status: 202, body: { id: 'slow' } }]);
    server.script('/v2/text-to-video/slow', ['hang']);
    const started = performance.now();
    const error = await rejection(runTask('ltx', { submit: submit(), poll }, { intervalMs: 100, timeoutMs: 300 }));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect([error.category, error.giveUp, error.taskId]).toEqual(['timeout', 'deadline', 'slow']);
  });

  it('a poll that runs out of time while a status request waits to be retried is a timeout', async () => {
    server.script('/v2/text-to-video/busy', [{ status: 503, headers: { 'retry-after': '30' }, body: ltxError('service_unavailable') }]);
    const error = await rejection(pollTask('ltx', `${base}/v2/text-to-video/busy`, { timeoutMs: 5_000 }));
    expect([error.category, error.giveUp]).toEqual(['timeout', 'deadline']);
  });

  it('a status body that breaks off is retried like any failure; one that stalls is bounded by attemptTimeoutMs', async () => {
    server.script('/v1/tasks/cut', ['cut-body', job('cut', 'completed')]);
    expect(await pollTask('evolink', `${base}/v1/tasks/cut`, { sleep: recordingSleep().sleep })).toEqual({ id: 'cut', status: 'completed' });
    server.script('/v1/tasks/stall', ['stall-body', job('stall', 'completed')]);
    const started = performance.now();
    expect(await pollTask('evolink', `${base}/v1/tasks/stall`, { sleep: recordingSleep().sleep, attemptTimeoutMs: 200 })).toEqual({ id: 'stall', status: 'completed' });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('an abort while a status body is read is a cancellation', async () => {
    server.script('/v1/tasks/stall', ['stall-body']);
    const controller = new AbortController();
    const call = rejection(pollTask('evolink', `${base}/v1/tasks/stall`, { signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort('stop');
    const error = await call;
    expect([error.giveUp, error.category, error.cause]).toEqual(['cancelled', 'cancelled', 'stop']);
  });

  it('a poll callback that fails after the submit rejects with a ProviderError that keeps the task id', async () => {
    server.script('/v2/text-to-video', [{ status: 202, body: { id: 'made' } }]);
    const error = await rejection(runTask('ltx', { submit: submit(), poll: () => { throw new Error('no URL for you'); } }));
    expect([error.name, error.taskId, error.giveUp]).toEqual(['ProviderError', 'made', 'not_retryable']);
    expect(error.message).toContain('no URL for you');
  });
});
