/**
 * Tasks: polling one until it ends (pollTask), and running one from submit to result, submitting
 * again when it fails in a way worth retrying (runTask). A failed task is never polled again: only
 * a new submit can change its outcome. What a status body says is taskState's, in the runtime.
 */
import { NOT_JSON, parseBody, pathText, readPath } from '../runtime/body.js';
import { decidedError } from '../runtime/exception.js';
import { retryPlan } from '../runtime/retry.js';
import { classifySuccess } from '../runtime/classify.js';
import type { FieldPath, PollAfterPlace, ProviderTable, TaskStateOf, TaskTable, Vocabulary } from '../runtime/types.js';
import { statedWaitIn } from '../runtime/waits.js';
import { classificationOf, isProviderError, ProviderError } from '../runtime/provider-error.js';
import { readTask } from '../runtime/task-state.js';
import { firstId } from '../runtime/task-status.js';
import { Holding } from './holding.js';
import { Limits } from './limiter.js';
import { randomId } from './random-id.js';
import { CallScope, now } from './scope.js';
import { deadlineError, isRequest, notify, Outgoing, send, stoppedByCaller, totals, type Sent, type Tally } from './send.js';
import { MIN_POLL_INTERVAL_MS, pollSettings, runTaskSettings, tableOf, taskTableOf, type PollSettings } from './settings.js';
import type { ExecutorContext, TaskRequest } from './types.js';

export async function pollTask<V extends Vocabulary>(context: ExecutorContext<V>, provider: unknown, status: string | URL | Request, options?: unknown): Promise<unknown> {
  const table = tableOf(context, provider);
  const settings = pollSettings<V>(options, table);
  // Checked now, so that a bad status request is a usage error before anything is sent.
  const outgoing = new Outgoing(null, status, undefined, undefined, table.requestHeaders);
  // The poll's own limit and the call's deadline are one here: either ends it as timed out (rule 5).
  const limit = settings.deadlineMs === null ? settings.cadence.timeoutMs : Math.min(settings.deadlineMs, settings.cadence.timeoutMs);
  const scope = new CallScope([settings.signal, outgoing.signal], limit);
  return poll(context, table, taskTableOf(table), scope, settings, { attempts: 0, totalDelayMs: 0, taskId: null }, outgoing, 0);
}

export async function runTask<V extends Vocabulary>(context: ExecutorContext<V>, provider: unknown, request: TaskRequest, options?: unknown): Promise<unknown> {
  const table = tableOf(context, provider);
  const task = taskTableOf(table);
  const settings = runTaskSettings<V>(options, table);
  const r = request as Partial<TaskRequest> | null;
  if (typeof r !== 'object' || r === null || typeof r.poll !== 'function' || !isRequest(r.submit)) {
    throw new TypeError('runTask takes { submit: Request, poll: (taskId) => URL or Request }');
  }
  const { submit, poll: statusOf } = r as TaskRequest;
  // Checked now, so that a bad submit is a usage error before anything is sent.
  const first = new Outgoing(table.idempotencyHeader, submit, undefined, settings.idempotencyKey, table.requestHeaders);
  const scope = new CallScope([settings.signal, first.signal], settings.deadlineMs);
  const tally: Tally = { attempts: 0, totalDelayMs: 0, taskId: null };
  // One permit from before the first submit until the task ends, however it ends; resubmits keep it.
  const holding = settings.limiter === null ? null : new Holding(context, table, new Limits(settings.limiter, table.id), scope, tally, settings.onLease);
  try {
    for (let submits = 1; ; submits++) {
      // Each submit is a call of its own: a new task, under a new idempotency key.
      tally.taskId = null;
      const outgoing = submits === 1 ? first : resubmission(table, submit, settings, submits);
      const submittedAt = now();
      const { body, text } = await sendForJson(context, table, scope, outgoing, settings, tally, holding);
      const submitMs = now() - submittedAt;
      const taskId = firstId(body, task.submitTaskId);
      if (taskId === null) {
        // The task may exist: submitting again could start a second one.
        throw unreadable(context, table, tally, text, `the submit response names no task id (looked at ${task.submitTaskId.map(pathText).join(', ')})`);
      }
      tally.taskId = taskId;
      let status: Outgoing;
      try {
        status = new Outgoing(null, statusOf(taskId), undefined, undefined, table.requestHeaders);
      } catch (error) {
        // Too late for a usage error: the task exists, so the rejection carries its id.
        throw unreadable(context, table, tally, null, `request.poll(${JSON.stringify(taskId)}) did not give a status request: ${error instanceof Error ? error.message : String(error)}`, error);
      }
      // The poll's own limit, which stops a status request in flight too; the call's stops it as well.
      const polling = new CallScope([status.signal], settings.cadence.timeoutMs, scope);
      try {
        const completed = await poll(context, table, task, polling, settings, tally, status, firstWait(settings, body), submitMs);
        holding?.succeeded();
        return completed;
      } catch (error) {
        holding?.taskEnded();
        if (!isProviderError(error) || error.giveUp !== 'task_failed' || !error.retryable || submits >= settings.maxSubmits) throw error;
        const delay = retryPlan(context.taxonomy, context.tables, error, submits, { random: settings.random });
        if (delay === 'max_delay' || (typeof delay === 'number' && delay > settings.maxDelayMs)) throw tooLong(error, tally);
        if (typeof delay !== 'number') throw error;
        if (scope.overruns(delay)) throw pastDeadline(error, tally);
        notify(settings.onRetry, { attempt: submits, delayMs: delay, error: classificationOf(error as ProviderError<V>) });
        try {
          await scope.wait(delay, settings.sleep);
        } catch (thrown) {
          throw scope.stoppedBy === 'deadline' ? pastDeadline(error, tally) : stoppedByCaller(context, table, tally, scope.stoppedBy === 'caller' ? scope.callerReason : thrown);
        }
        tally.totalDelayMs += delay;
      }
    }
  } finally {
    holding?.release();
    scope.dispose();
  }
}

/**
 * The request of submit number `n` (from 2): the same request under a key of its own, so that a
 * provider honouring the key starts a new task. A key the caller gave is kept as a prefix.
 */
function resubmission<V extends Vocabulary>(table: ProviderTable<V>, submit: Request, settings: PollSettings<V>, n: number): Outgoing {
  const header = table.idempotencyHeader;
  if (header === null || settings.idempotencyKey === false) return new Outgoing(header, submit, undefined, settings.idempotencyKey, table.requestHeaders);
  const given = settings.idempotencyKey ?? submit.headers.get(header)?.trim();
  const headers = new Headers(submit.headers);
  headers.set(header, given ? `${given}.${n}` : randomId());
  return new Outgoing(header, submit, { headers }, undefined, table.requestHeaders);
}

/**
 * Polls until the task ends, or `scope` stops, which then means the poll timed out or was
 * cancelled; the poll ends the scope. The first status request waits `wait` ms first; `lastMs`
 * is how long the request before it took (the submit's, for runTask).
 */
async function poll<V extends Vocabulary>(
  context: ExecutorContext<V>,
  table: ProviderTable<V>,
  task: TaskTable<V>,
  scope: CallScope,
  settings: PollSettings<V>,
  tally: Tally,
  outgoing: Outgoing,
  wait: number,
  lastMs = 0,
): Promise<unknown> {
  const { cadence } = settings;
  let interval = cadence.intervalMs;
  let last: TaskStateOf<V> | null = null;
  let final = false;
  try {
    for (;;) {
      if (wait > 0) {
        // Less time left than a wait: one last status check, sent early enough to be answered in
        // time (by how long the last request took), so that a task is never left unobserved.
        if (scope.overruns(wait)) {
          const left = scope.remaining();
          if (final || left <= 0) throw timedOut(context, table, tally);
          wait = Math.max(0, left - Math.max(2 * lastMs, LAST_CHECK_MS));
          final = true;
        }
        try {
          await scope.wait(wait, settings.sleep);
        } catch (thrown) {
          throw scope.stoppedBy === 'deadline' ? timedOut(context, table, tally) : stoppedByCaller(context, table, tally, scope.stoppedBy === 'caller' ? scope.callerReason : thrown);
        }
        tally.totalDelayMs += wait;
      }
      const askedAt = now();
      const { body, text, status, headers, pollAfterMs } = await sendForJson(context, table, scope, outgoing, settings, tally, null, task);
      lastMs = now() - askedAt;
      // A body that is not JSON is read as the text it came as (a finished result, where the HTTP status says so).
      const read = readTask(context.taxonomy, table, task, body === NOT_JSON ? text : body, status, headers);
      if (read === null) throw unreadable(context, table, tally, text, `the status response is not a task body of ${table.id}`);
      const { state, failure } = read;
      tally.taskId = state.taskId ?? tally.taskId;
      if (last === null || last.status !== state.status || last.progress !== state.progress) notify(settings.onProgress, state);
      last = state;
      if (state.state === 'completed') return task.result === null ? state.body : await fetchResult(context, table, task.result, scope, settings, tally, outgoing, state.body);
      if (failure !== null) throw new ProviderError(failure, { ...totals(tally), giveUp: 'task_failed', body: text });
      // The server's own word on when to ask again wins over the cadence (not below its floor).
      wait = pollAfterMs === null ? nextWait(settings, body, interval) : Math.max(pollAfterMs, MIN_POLL_INTERVAL_MS);
      interval = Math.min(interval * cadence.growth, cadence.maxIntervalMs);
    }
  } catch (error) {
    // Out of time while a status request failed or waited to be retried: the poll timed out (rule 5).
    if (isProviderError(error) && error.giveUp === 'deadline') throw timedOut(context, table, tally);
    throw error;
  } finally {
    scope.dispose();
  }
}

/** The least time the last status check before a deadline is given to be answered. */
const LAST_CHECK_MS = 100;

/** The wait before the next status request: the interval, or the task's own estimate within bounds. */
function nextWait<V extends Vocabulary>(settings: PollSettings<V>, body: unknown, interval: number): number {
  const { cadence } = settings;
  const eta = cadence.eta === null ? undefined : readPath(body, cadence.eta);
  if (typeof eta !== 'number' || !Number.isFinite(eta) || eta < 0) return interval;
  return Math.min(Math.max(eta * 1000, cadence.intervalMs), cadence.maxIntervalMs);
}

/** After a submit: the task's estimate from the submit response, or one interval. */
function firstWait<V extends Vocabulary>(settings: PollSettings<V>, submitted: unknown): number {
  return nextWait(settings, submitted, settings.cadence.intervalMs);
}

/**
 * Sends a submit or status request and reads its JSON body, within the same attempt (so a body
 * that breaks off is retried like any failure). Only the body, the HTTP status and the wait it
 * states for the next poll (`task` names where) outlive this call: a poll waiting between two
 * requests holds no Response, which would hold far more than the task.
 */
async function sendForJson<V extends Vocabulary>(
  context: ExecutorContext<V>,
  table: ProviderTable<V>,
  scope: CallScope,
  outgoing: Outgoing,
  settings: PollSettings<V>,
  tally: Tally,
  holding: Holding<V> | null = null,
  task: TaskTable<V> | null = null,
): Promise<{ body: unknown; text: string | null; status: number; headers: Headers; pollAfterMs: number | null }> {
  const { response, text } = await send(context, table, scope, outgoing, settings, tally, { readText: true, holding });
  const body = text === null ? undefined : parseBody(text);
  const pollAfterMs = task === null || task.pollAfter.length === 0 ? null : statedPollWait(task.pollAfter, response.headers, body);
  return { body, text, status: response.status, headers: response.headers, pollAfterMs };
}

/**
 * The result of a completed task that gives it apart (fal's response_url): a GET, retried as any
 * GET is. A final failure of that fetch is the model's error, so the task's failure; a success
 * that says it failed is too. Resolves with the body, parsed when it is JSON.
 */
async function fetchResult<V extends Vocabulary>(
  context: ExecutorContext<V>,
  table: ProviderTable<V>,
  at: FieldPath,
  scope: CallScope,
  settings: PollSettings<V>,
  tally: Tally,
  status: Outgoing,
  completed: unknown,
): Promise<unknown> {
  const url = readPath(completed, at);
  if (typeof url !== 'string' || url.trim() === '') throw unreadable(context, table, tally, null, `the completed task gives no result URL at ${pathText(at)}`);
  let outgoing: Outgoing;
  try {
    outgoing = status.fetching(url);
  } catch (error) {
    throw unreadable(context, table, tally, null, `the result URL ${JSON.stringify(url.slice(0, 200))} cannot be fetched: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  let sent: Sent;
  try {
    sent = await send(context, table, scope, outgoing, settings, tally, { readText: true, holding: null });
  } catch (error) {
    if (isProviderError(error) && error.giveUp === 'not_retryable') throw new ProviderError(error, { ...totals(tally), giveUp: 'task_failed', body: error.body, cause: error.cause });
    throw error;
  }
  const { response, text } = sent;
  const body = text === null ? undefined : parseBody(text);
  const result = body === NOT_JSON ? text : body;
  const failure = classifySuccess(context.taxonomy, table, { status: response.status, headers: response.headers, body: result });
  if (failure !== null) throw new ProviderError(failure, { ...totals(tally), giveUp: 'task_failed', body: text });
  return result;
}

/** The first wait a status response states where the spec says, or null. */
function statedPollWait(places: readonly PollAfterPlace[], headers: Headers, body: unknown): number | null {
  for (const place of places) {
    const wait = statedWaitIn('header' in place ? headers.get(place.header) : readPath(body, place.path), place.format, place.pattern);
    if (wait !== null) return wait;
  }
  return null;
}

/** The poll ran out of time: the task may still finish, and polling its id again resumes it. */
function timedOut<V extends Vocabulary>(context: ExecutorContext<V>, table: ProviderTable<V>, tally: Tally): ProviderError<V> {
  const error = { ...deadlineError(context, table), message: `The task did not finish in time${tally.taskId ? `; poll ${tally.taskId} again to resume` : ''}.` };
  return new ProviderError(error, { ...totals(tally), giveUp: 'deadline' });
}

/** A 2xx body the spec cannot read as what it should be; nothing about it can be retried safely. */
function unreadable<V extends Vocabulary>(context: ExecutorContext<V>, table: ProviderTable<V>, tally: Tally, text: string | null, why: string, cause?: unknown): ProviderError<V> {
  const error = decidedError(context.taxonomy, table.id, 'http', context.taxonomy.statusFallback.otherwise, `${why}.`);
  return new ProviderError(error, { ...totals(tally), giveUp: 'not_retryable', body: text, ...(cause === undefined ? {} : { cause }) });
}

/** The same failure, with the call's totals now, given up for running out of time. */
function pastDeadline<V extends Vocabulary>(error: ProviderError<V>, tally: Tally): ProviderError<V> {
  return new ProviderError(error, { ...totals(tally), giveUp: 'deadline', body: error.body, cause: error.cause });
}

/** A failed task whose resubmit would wait longer than the caller or the spec allows. */
function tooLong<V extends Vocabulary>(error: ProviderError<V>, tally: Tally): ProviderError<V> {
  return new ProviderError(error, { ...totals(tally), giveUp: 'max_delay', body: error.body, cause: error.cause });
}
