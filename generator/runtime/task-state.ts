/**
 * What a task-status body says: where the task stands, its id and progress. It agrees with
 * classifyTask, which decides failure; a status the spec does not list means the task runs on,
 * never that it is done.
 */
import { NO_BODY, NOT_JSON, readPath, UNREAD } from './body.js';
import { classifyTaskBody, safeParse } from './classify.js';
import { firstId, statusKey, taskClass } from './task-status.js';
import type { ClassifiedErrorOf, ProviderTable, TaskStateOf, TaskTable, TaxonomyTable, Vocabulary } from './types.js';

/** The state of a task from its status body (parsed, or JSON text); null when it is not one. */
export function taskState<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  tables: ReadonlyMap<V['provider'], ProviderTable<V>>,
  provider: unknown,
  body: unknown,
): TaskStateOf<V> | null {
  const table = typeof provider === 'string' ? tables.get(provider as V['provider']) : undefined;
  return table?.task ? (readTask(taxonomy, table, table.task, body)?.state ?? null) : null;
}

/**
 * A task's state, and its failure classified when it failed (the poller reports it); null when
 * the body is not a task body. `httpStatus` and `headers` are the status response's, when known:
 * where the spec maps the status, it says where the task stands, and a finished task's body need
 * not be JSON (it is then the state's body as it came); a soft failure may read the headers.
 */
export function readTask<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  table: ProviderTable<V>,
  task: TaskTable<V>,
  raw: unknown,
  httpStatus: number | null = null,
  headers: unknown = undefined,
): { state: TaskStateOf<V>; failure: ClassifiedErrorOf<V> | null } | null {
  const body = safeParse(raw);
  const parsed = body !== NO_BODY && body !== NOT_JSON && body !== UNREAD && typeof body === 'object' && body !== null;
  const status = parsed ? statusKey(task, body, readPath(body, task.paths.status)) : null;
  const declared = taskClass(task, status, httpStatus);
  if (!parsed) {
    if (declared !== 'completed') return null;
    // A finished result that is not JSON, whose headers may still say it failed (finish-reason: CONTENT_FILTERED).
    const failure = classifyTaskBody(taxonomy, table, task, body, httpStatus, headers);
    return { state: taskAt(table, failure ? 'failed' : 'completed', String(httpStatus), null, null, raw), failure };
  }
  if (status === null && declared === undefined) return null;
  // classifyTask decides failure, so the two never disagree; a status the spec does not list runs on.
  const failure = classifyTaskBody(taxonomy, table, task, body, httpStatus, headers);
  const progress = task.progress === null ? undefined : readPath(body, task.progress);
  const state = taskAt(
    table,
    failure ? (declared === 'cancelled' ? 'cancelled' : 'failed') : declared === 'completed' || declared === 'ended' ? 'completed' : 'running',
    status ?? String(httpStatus),
    firstId(body, task.taskId),
    typeof progress === 'number' && Number.isFinite(progress) ? progressPercent(progress, task.progressScale) : null,
    body,
  );
  return { state, failure };
}

function taskAt<V extends Vocabulary>(table: ProviderTable<V>, state: TaskStateOf<V>['state'], status: string, taskId: string | null, progress: number | null, body: unknown): TaskStateOf<V> {
  return { provider: table.id, taskId, state, status, progress, body };
}

/** Progress from 0 to 100, whatever scale the provider reports it on. */
function progressPercent(value: number, scale: number): number {
  // Rounded to a millionth, so that 0.275 of 1 reads 27.5, not 27.500000000000004.
  return scale === 100 ? value : Math.round((value * 100 * 1e6) / scale) / 1e6;
}

