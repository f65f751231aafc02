/**
 * What a task-status body says: where the task stands, its id and progress. It agrees with
 * classifyTask, which decides failure; a status the spec does not list means the task runs on,
 * never that it is done.
 */
import { NO_BODY, NOT_JSON, readPath, UNREAD } from './body.js';
import { classifyTask, safeParse } from './classify.js';
import type { ClassifiedErrorOf, FieldPath, ProviderTable, TaskStateOf, TaskTable, TaxonomyTable, Vocabulary } from './types.js';

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
  const status = readPath(body, task.paths.status);
  if (typeof status !== 'string') return null;
  // classifyTask decides failure, so the two never disagree; a status the spec does not list runs on.
  const failure = classifyTask(taxonomy, table, body);
  const declared = task.states.get(status);
  const progress = task.progress === null ? undefined : readPath(body, task.progress);
  const state: TaskStateOf<V> = {
    provider: table.id,
    taskId: firstId(body, task.taskId),
    state: failure ? (declared === 'cancelled' ? 'cancelled' : 'failed') : declared === 'completed' ? 'completed' : 'running',
    status,
    progress: typeof progress === 'number' && Number.isFinite(progress) ? progress : null,
    body,
  };
  return { state, failure };
}

/** The first path holding an id (a non-empty string, or a number as text). */
export function firstId(body: unknown, paths: readonly FieldPath[]): string | null {
  for (const path of paths) {
    const value = readPath(body, path);
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return null;
}

