/**
 * Compares two envelope schemas. An envelope is both a validator (`conforms`) and a generated
 * type, so a narrower schema can break a consumer's build: a field that became required, removed,
 * retyped or with fewer enum values. A wider one (a new optional field, a new enum value) adds.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Severity } from './types.js';

export interface SchemaChange {
  readonly severity: Severity;
  /** The property path inside the body, `error.type`; empty for the body itself. */
  readonly where: string;
  readonly message: string;
  readonly old: unknown;
  readonly new: unknown;
}

type Schema = Readonly<Record<string, unknown>>;

/** Keywords read only by people. */
const DOC_KEYWORDS = new Set(['description', 'examples', '$comment', 'default']);
/** Keywords this module ranks itself; any other that differs is ranked breaking, to be safe. */
const RANKED_KEYWORDS = new Set([...DOC_KEYWORDS, 'title', 'type', 'enum', 'const', 'required', 'properties', 'items', 'additionalProperties']);

export function compareSchemas(old: unknown, now: unknown, where = ''): SchemaChange[] {
  if (isDeepStrictEqual(old, now)) return [];
  if (!isSchema(old) || !isSchema(now)) {
    return [{ severity: 'breaking', where, message: `${subject(where)} changed shape`, old, new: now }];
  }
  return [
    ...compareTitle(old, now, where),
    ...compareTypes(old, now, where),
    ...compareEnum(old, now, where),
    ...compareRequired(old, now, where),
    ...compareProperties(old, now, where),
    ...compareAdditional(old, now, where),
    ...(isDeepStrictEqual(old.items, now.items) ? [] : compareSchemas(old.items ?? {}, now.items ?? {}, `${where}[]`)),
    ...compareOthers(old, now, where),
  ];
}

function compareTitle(old: Schema, now: Schema, where: string): SchemaChange[] {
  if (old.title === now.title) return [];
  // The envelope's own title is its TypeScript type's name.
  const severity: Severity = where === '' ? 'breaking' : 'docs';
  const message = where === '' ? `type ${String(old.title)} renamed to ${String(now.title)}` : `${subject(where)}: title changed`;
  return [{ severity, where, message, old: old.title ?? null, new: now.title ?? null }];
}

function compareTypes(old: Schema, now: Schema, where: string): SchemaChange[] {
  const before = typeSet(old.type);
  const after = typeSet(now.type);
  if (isDeepStrictEqual(before, after)) return [];
  const lost = before.length === 0 ? ['any'] : before.filter((t) => after.length > 0 && !after.includes(t));
  const severity: Severity = lost.length > 0 ? 'breaking' : 'additive';
  const describe = (types: readonly string[]): string => (types.length === 0 ? 'any type' : types.join(' | '));
  return [{ severity, where, message: `${subject(where)} retyped: ${describe(before)} → ${describe(after)}`, old: old.type ?? null, new: now.type ?? null }];
}

function compareEnum(old: Schema, now: Schema, where: string): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const before = Array.isArray(old.enum) ? (old.enum as unknown[]) : null;
  const after = Array.isArray(now.enum) ? (now.enum as unknown[]) : null;
  if (!isDeepStrictEqual(before, after)) {
    const removed = before === null ? [] : after === null ? [] : before.filter((v) => !after.some((w) => isDeepStrictEqual(v, w)));
    const narrowed = removed.length > 0 || (before === null && after !== null);
    const message = narrowed
      ? before === null
        ? `${subject(where)} limited to ${list(after ?? [])}`
        : `${subject(where)} no longer allows ${list(removed)}`
      : after === null
        ? `${subject(where)} allows any value`
        : `${subject(where)} also allows ${list(after.filter((v) => !(before ?? []).some((w) => isDeepStrictEqual(v, w))))}`;
    changes.push({ severity: narrowed ? 'breaking' : 'additive', where, message, old: before, new: after });
  }
  if (!isDeepStrictEqual(old.const, now.const)) {
    const severity: Severity = now.const === undefined ? 'additive' : 'breaking';
    changes.push({ severity, where, message: `${subject(where)} must now be ${JSON.stringify(now.const ?? 'anything')}`, old: old.const ?? null, new: now.const ?? null });
  }
  return changes;
}

function compareRequired(old: Schema, now: Schema, where: string): SchemaChange[] {
  const before = stringList(old.required);
  const after = stringList(now.required);
  // A property removed is reported as removed, not also as no longer required.
  const removed = propertyNames(old).filter((name) => !propertyNames(now).includes(name));
  return [
    ...after
      .filter((name) => !before.includes(name))
      .map((name): SchemaChange => ({ severity: 'breaking', where: join(where, name), message: `${subject(join(where, name))} is now required`, old: false, new: true })),
    // The generated type makes the field optional: code that reads it unchecked stops compiling.
    ...before
      .filter((name) => !after.includes(name) && !removed.includes(name))
      .map((name): SchemaChange => ({ severity: 'breaking', where: join(where, name), message: `${subject(join(where, name))} is no longer required (its type becomes optional)`, old: true, new: false })),
  ];
}

function compareProperties(old: Schema, now: Schema, where: string): SchemaChange[] {
  const before = (isSchema(old.properties) ? old.properties : {}) as Readonly<Record<string, unknown>>;
  const after = (isSchema(now.properties) ? now.properties : {}) as Readonly<Record<string, unknown>>;
  const changes: SchemaChange[] = [];
  for (const name of Object.keys(before)) {
    const path = join(where, name);
    if (!(name in after)) changes.push({ severity: 'breaking', where: path, message: `${subject(path)} removed`, old: before[name], new: null });
    else changes.push(...compareSchemas(before[name], after[name], path));
  }
  const required = stringList(now.required);
  for (const name of Object.keys(after)) {
    const path = join(where, name);
    // A new field that is required is reported as such (breaking), not also as added.
    if (!(name in before) && !(required.includes(name) && !stringList(old.required).includes(name))) changes.push({ severity: 'additive', where: path, message: `${subject(path)} added`, old: null, new: after[name] });
  }
  return changes;
}

function compareAdditional(old: Schema, now: Schema, where: string): SchemaChange[] {
  const before = old.additionalProperties;
  const after = now.additionalProperties;
  if (isDeepStrictEqual(before, after)) return [];
  const closed = (value: unknown): boolean => value === false;
  if (closed(after) && !closed(before)) return [{ severity: 'breaking', where, message: `${subject(where)} no longer allows other properties`, old: before ?? null, new: after }];
  if (closed(before) && after === undefined) return [{ severity: 'additive', where, message: `${subject(where)} allows other properties`, old: before, new: null }];
  return [{ severity: 'breaking', where, message: `${subject(where)}: additionalProperties changed`, old: before ?? null, new: after ?? null }];
}

function compareOthers(old: Schema, now: Schema, where: string): SchemaChange[] {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])].filter((k) => !RANKED_KEYWORDS.has(k) || DOC_KEYWORDS.has(k)).sort();
  return keys
    .filter((key) => !isDeepStrictEqual(old[key], now[key]))
    .map((key): SchemaChange =>
      DOC_KEYWORDS.has(key)
        ? { severity: 'docs', where, message: `${subject(where)}: ${key} changed`, old: old[key] ?? null, new: now[key] ?? null }
        : // A keyword errspec does not rank (pattern, oneOf, minimum…) may narrow the envelope.
          { severity: 'breaking', where, message: `${subject(where)}: ${key} changed (not ranked by errspec, so treated as breaking)`, old: old[key] ?? null, new: now[key] ?? null },
    );
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function propertyNames(schema: Schema): string[] {
  return isSchema(schema.properties) ? Object.keys(schema.properties) : [];
}

function typeSet(type: unknown): string[] {
  const types = typeof type === 'string' ? [type] : Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
  return [...new Set(types)].sort();
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function join(where: string, name: string): string {
  return where === '' ? name : `${where}.${name}`;
}

function subject(where: string): string {
  return where === '' ? 'the body' : `field ${where}`;
}

function list(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}
