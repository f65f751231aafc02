/**
 * A task body's status and id as the spec's lists spell them: shared by classifyTask, which
 * decides failure, and taskState, which reports where a task stands, so the two never disagree.
 */
import { readPath } from './body.js';
import type { FieldPath, StatusClass, TaskTable, Vocabulary } from './types.js';

/**
 * The status value as text (`processing`, `true`, `3`), or, for a body without one that names a
 * task, the status the spec gives such a body; null when the body holds no status.
 */
export function statusKey<V extends Vocabulary>(layer: TaskTable<V>, body: unknown, raw: unknown): string | null {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'boolean' || (typeof raw === 'number' && Number.isFinite(raw))) return String(raw);
  if (raw === undefined && layer.absent !== null && firstId(body, layer.taskId) !== null) return layer.absent;
  return null;
}

/**
 * Where a task stands, by its class: the status request's HTTP status where the spec maps it
 * (`httpStatus` null when unknown), else the body's status; undefined when neither is listed.
 */
export function taskClass<V extends Vocabulary>(layer: TaskTable<V>, status: string | null, httpStatus: number | null): StatusClass | undefined {
  const byResponse = httpStatus === null || layer.httpStates.size === 0 ? undefined : layer.httpStates.get(httpStatus);
  return byResponse ?? (status === null ? undefined : layer.states.get(status));
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
