/**
 * runTask end to end for every provider with a task layer, against a local simulator built from
 * that provider's own task examples: the submit answers with a new task id where the spec says the
 * submit response puts it, and each status request answers with the provider's running (queued,
 * throttled) bodies, then the example under test. A completed example resolves; a failed one gives
 * up when its code is final and submits again when it is retryable; a failure hidden in a success
 * (a soft failure) fails the task. Nothing here names a provider: the examples are the simulators.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, runTask, taskState, type ProviderId } from '../generated/index.js';
import type { ExampleModel, ProviderModel, TaskLayerModel } from '../generator/model.js';
import { recordingSleep } from './executor-helpers.js';
import { checkDir, placeAt, SPEC_DIR, startServer, type LocalServer } from './helpers.js';

type Phase = 'running' | 'completed' | 'failed';

/** A status response the simulator sends: the example's body, status and headers. */
interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

let server: LocalServer;
/** Per task id, the status answers still to give; the last one repeats. */
const scripts = new Map<string, Answer[]>();
/** What each new task's status requests answer, in submit order. */
let nextScripts: Answer[][] = [];
let submits = 0;
let statusRequests = 0;
let provider: ProviderModel;

function send(res: ServerResponse, answer: Answer): void {
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': typeof answer.body === 'string' ? 'text/plain' : 'application/json', ...answer.headers }).end(text);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url!, server.base);
  if (req.method === 'POST' && url.pathname === '/submit') {
    submits += 1;
    const id = `task-${submits}`;
    scripts.set(id, nextScripts.shift() ?? []);
    const body: Record<string, unknown> = {};
    placeAt(body, provider.task!.submitTaskId.value[0]!, id);
    return send(res, { status: 200, headers: {}, body });
  }
  if (url.pathname.startsWith('/results/')) return send(res, { status: 200, headers: {}, body: { result: url.pathname } });
  const id = url.pathname.replace(/^\/tasks\//, '');
  const script = scripts.get(id);
  if (!script || script.length === 0) return send(res, { status: 404, headers: {}, body: { error: 'no such task' } });
  statusRequests += 1;
  const answer = script.length > 1 ? script.shift()! : script[0]!;
  send(res, withTaskId(answer, id));
}

/** The example's body, naming the task the simulator is answering for and fetching its result here. */
function withTaskId(answer: Answer, id: string): Answer {
  const task = provider.task!;
  if (answer.body === null || typeof answer.body !== 'object' || Array.isArray(answer.body)) return answer;
  const body = structuredClone(answer.body) as Record<string, unknown>;
  placeAt(body, task.taskId[0]!, id);
  if (task.result) placeAt(body, task.result.value, `${server.base}/results/${id}`);
  return { ...answer, body };
}

/** Where an example leaves the task: by the HTTP status where the status decides, else by its body. */
function phaseOf(task: TaskLayerModel, id: string, example: ExampleModel): Phase | null {
  if (example.expect !== null) return 'failed';
  // Where the HTTP status is the state, an example without one is no status response (a submit's answer).
  if (task.httpStates.length > 0 && example.status === null) return null;
  const byStatus = example.status === null ? undefined : task.httpStates.find(([status]) => status === example.status)?.[1];
  const state = byStatus ?? taskState(id as ProviderId, example.body)?.state;
  if (state === 'running' || state === 'queued') return 'running';
  if (state === 'completed' || state === 'ended') return 'completed';
  return null;
}

function synthesizedCompletion(task: TaskLayerModel, phases: readonly (readonly [ExampleModel, Phase | null])[], value: string): ExampleModel[] {
  const base = phases.find(([, phase]) => phase === 'running')?.[0];
  if (base === undefined || task.fields.status === null || base.body === null || typeof base.body !== 'object') return [];
  const body = structuredClone(base.body) as Record<string, unknown>;
  placeAt(body, task.fields.status, value);
  return [{ ...base, name: `${base.name}, with status ${value}`, body }];
}

const answerOf = (example: ExampleModel): Answer => ({ status: example.status ?? 200, headers: example.headers, body: example.body });

beforeAll(async () => {
  server = await startServer(handle);
});
afterAll(async () => {
  await server.close();
});

const { model } = checkDir(SPEC_DIR);
for (const candidate of model!.providers.filter((p) => p.task !== null)) {
  const task = candidate.task!;
  const phases = task.examples.map((example) => [example, phaseOf(task, candidate.id, example)] as const);
  const running = phases.filter(([, phase]) => phase === 'running').map(([example]) => answerOf(example));
  const declared = phases.filter(([, phase]) => phase === 'completed').map(([example]) => example);
  // Where the spec shows no completed body, a running one with the completed status value stands in.
  const completedValue = task.states.find(([, state]) => state === 'completed')?.[0];
  const completed = declared.length > 0 || completedValue === undefined ? declared : synthesizedCompletion(task, phases, completedValue);
  const failed = phases.filter(([, phase]) => phase === 'failed').map(([example]) => example);

  describe(`${candidate.id}: runTask against a simulator of its task examples`, () => {
    const run = async (terminal: Answer, then: Answer[][] = []) => {
      provider = candidate;
      submits = 0;
      statusRequests = 0;
      scripts.clear();
      nextScripts = [[...running, terminal], ...then];
      const sleep = recordingSleep();
      const request = { submit: new Request(`${server.base}/submit`, { method: 'POST', body: '{}' }), poll: (id: string) => `${server.base}/tasks/${id}` };
      return runTask(candidate.id as ProviderId, request, { intervalMs: 100, sleep: sleep.sleep }).then(
        (value) => ({ value, error: null }),
        (error: unknown) => ({ value: null, error }),
      );
    };

    it('declares a running body and a completed one among its examples, so the simulator can run', () => {
      expect(running.length + completed.length).toBeGreaterThan(0);
      expect(completed.length, 'a completed example').toBeGreaterThan(0);
    });

    it.each(completed.map((e) => [e.name, e] as const))('completes: %s', async (_name, example) => {
      const { value, error } = await run(answerOf(example));
      expect(error).toBeNull();
      expect(value).not.toBeNull();
      expect([submits, statusRequests]).toEqual([1, running.length + 1]);
      // A result fetched apart is what the call resolves with.
      if (task.result) expect(value).toEqual({ result: '/results/task-1' });
    });

    it.each(failed.map((e) => [e.name, e] as const))('fails: %s', async (_name, example) => {
      const expected = example.expect!;
      const again = completed[0] === undefined ? [] : [[...running, answerOf(completed[0])]];
      const { value, error } = await run(answerOf(example), again);
      const finalFailure = (expected.retryable ?? model!.taxonomy.categories.find((c) => c.id === expected.category)!.outcome.retryable) === false;
      if (finalFailure) {
        expect(error).toBeInstanceOf(ProviderError);
        const failure = error as ProviderError;
        // A status request that fails over HTTP is that request's failure; a failed task is the task's.
        const giveUp = (example.status ?? 200) >= 400 ? 'not_retryable' : 'task_failed';
        expect([failure.giveUp, failure.category, submits]).toEqual([giveUp, expected.category, 1]);
        expect(failure.taskId).toBe('task-1');
      } else {
        // A retryable failure submits again; the second task completes.
        expect(error, String(error)).toBeNull();
        expect(value).not.toBeNull();
        expect(submits).toBe(2);
      }
    });
  });
}
