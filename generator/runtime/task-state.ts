/**
 * What a task-status body says: where the task stands, its id and progress. It agrees with
 * classifyTask, which decides failure; a status the spec does not list means the task runs on,
 * never that it is done.
 */
import { NO_BODY, NOT_JSON, parseBody, readPath, UNREAD } from './body.js';
import { classifyTask } from './classify.js';
import type { ProviderTable, TaskStateOf, TaskTable, TaxonomyTable, Vocabulary } from './types.js';

/** The state of a task from its status body (parsed, or JSON text); null when it is not one. */
export function taskState<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  tables: ReadonlyMap<V['provider'], ProviderTable<V>>,
  provider: unknown,
  body: unknown,
): TaskStateOf<V> | null {
  const table = typeof provider === 'string' ? tables.get(provider as V['provider']) : undefined;
  return table?.task ? stateOf(taxonomy, table, table.task, body) : null;
}

export function stateOf<V extends Vocabulary>(taxonomy: TaxonomyTable<V>, table: ProviderTable<V>, task: TaskTable<V>, raw: unknown): TaskStateOf<V> | null {
  let body: unknown;
  try {
    body = parseBody(raw);
  } catch {
    return null;
  }
  if (body === NO_BODY || body === NOT_JSON || body === UNREAD || typeof body !== 'object' || body === null) return null;
  const status = readPath(body, task.paths.status);
  if (typeof status !== 'string') return null;
  // classifyTask decides failure, so the two never disagree; a status the spec does not list runs on.
  const failed = classifyTask(taxonomy, table, body) !== null;
  const declared = task.states.get(status);
  const progress = task.progress === null ? undefined : readPath(body, task.progress);
  return {
    provider: table.id,
    taskId: firstId(body, task.taskId),
    state: failed ? (declared === 'cancelled' ? 'cancelled' : 'failed') : declared === 'completed' ? 'completed' : 'running',
    status,
    progress: typeof progress === 'number' && Number.isFinite(progress) ? progress : null,
    body,
  };
}

/** The first path holding an id (a non-empty string, or a number as text). */
export function firstId(body: unknown, paths: readonly (readonly string[])[]): string | null {
  for (const path of paths) {
    const value = readPath(body, path);
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return null;
}

