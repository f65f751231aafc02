/**
 * What a task-status body says: where the task stands, its id and progress. It agrees with
 * classifyTask, which decides failure; a status the spec does not list means the task runs on,
 * never that it is done.
 */
import { NO_BODY, NOT_JSON, readPath, UNREAD } from './body.js';
import { classifyTask, safeParse } from './classify.js';
import { firstId, statusKey } from './task-status.js';
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
 * the body is not a task body.
 */
export function readTask<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  table: ProviderTable<V>,
  task: TaskTable<V>,
  raw: unknown,
): { state: TaskStateOf<V>; failure: ClassifiedErrorOf<V> | null } | null {
  const body = safeParse(raw);
  if (body === NO_BODY || body === NOT_JSON || body === UNREAD || typeof body !== 'object' || body === null) return null;
  const status = statusKey(task, body, readPath(body, task.paths.status));
  if (status === null) return null;
  // classifyTask decides failure, so the two never disagree; a status the spec does not list runs on.
  const failure = classifyTask(taxonomy, table, body);
  const declared = task.states.get(status);
  const progress = task.progress === null ? undefined : readPath(body, task.progress);
  const state: TaskStateOf<V> = {
    provider: table.id,
    taskId: firstId(body, task.taskId),
    state: failure ? (declared === 'cancelled' ? 'cancelled' : 'failed') : declared === 'completed' || declared === 'ended' ? 'completed' : 'running',
    status,
    progress: typeof progress === 'number' && Number.isFinite(progress) ? progressPercent(progress, task.progressScale) : null,
    body,
  };
  return { state, failure };
}

/** Progress from 0 to 100, whatever scale the provider reports it on. */
function progressPercent(value: number, scale: number): number {
  return scale === 100 ? value : (value * 100) / scale;
}

