/**
 * Spec files of an older format, read as today's. Each file names the format it is written in
 * (`format: 2`); one that names none is format 1, errspec's first. A migration turns a file's
 * value from one format into the next, so that every later stage sees today's format only, and
 * `errspec diff` compares a revision written before an upgrade of errspec with one written after.
 * Migrations change values in place and never move them, so every diagnostic still points into the
 * file as written; `errspec migrate` writes the same edits into the file itself.
 */
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { FileRole, LoadedFile } from './load.js';

/** The format this errspec writes and reads; older ones are migrated. */
export const SPEC_FORMAT = 2;

/** One value a migration changes, for `errspec migrate` to write into the file. */
export interface Edit {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
}

interface Migration {
  /** What changed, in words: the note that an older file prints, and `errspec migrate`'s summary. */
  readonly change: string;
  /** The edits that turn a value of the format before into this one's; the value is not changed. */
  readonly edits: (value: Readonly<Record<string, unknown>>, role: FileRole) => Edit[];
}

/** MIGRATIONS[n] turns format n + 1 into format n + 2. */
const MIGRATIONS: readonly Migration[] = [
  {
    change: 'a retry rule\'s maxAttempts counts requests, the first included, as the maxAttempts option of fetchWithRetry does (it counted the retries after the first failure)',
    edits: (value, role) =>
      retryRules(value, role)
        .filter(({ rule }) => typeof rule.maxAttempts === 'number')
        .map(({ path, rule }) => ({ path: [...path, 'maxAttempts'], value: (rule.maxAttempts as number) + 1 })),
  },
];

export type FormatReading =
  | { readonly kind: 'current' }
  | { readonly kind: 'older'; readonly format: number; readonly changes: readonly string[]; readonly edits: readonly Edit[]; readonly value: unknown }
  /** Not a format this errspec knows: newer, or not a format at all. */
  | { readonly kind: 'unknown'; readonly message: string };

/** What format a file's value is in, and, for an older one, the value in today's format. */
export function readFormat(value: unknown, role: FileRole): FormatReading {
  if (!isRecord(value)) return { kind: 'current' };
  // Only a file that names no format is format 1; `format:` with nothing after it names nothing known.
  const format = 'format' in value ? value.format : 1;
  if (format === SPEC_FORMAT) return { kind: 'current' };
  if (typeof format !== 'number' || !Number.isInteger(format) || format < 1) {
    return { kind: 'unknown', message: `format must be a spec format number (${SPEC_FORMAT}, this errspec's), not ${JSON.stringify(format)}` };
  }
  if (format > SPEC_FORMAT) {
    return { kind: 'unknown', message: `written in spec format ${format}, which a newer errspec reads; this one reads formats up to ${SPEC_FORMAT}: upgrade errspec` };
  }
  const steps = MIGRATIONS.slice(format - 1, SPEC_FORMAT - 1);
  const edits: Edit[] = [];
  let current: Record<string, unknown> = value;
  for (const step of steps) {
    const made = step.edits(current, role);
    edits.push(...made);
    current = applyEdits(current, made);
  }
  const marked = applyEdits(current, [{ path: ['format'], value: SPEC_FORMAT }]);
  return { kind: 'older', format, changes: steps.map((s) => s.change), edits: [...edits, { path: ['format'], value: SPEC_FORMAT }], value: marked };
}

/**
 * Each file in today's format: one written in an older format is migrated, with a note saying so
 * (never a problem: a spec written for an older errspec still works), one in a format this errspec
 * does not know is a problem at its `format:`.
 */
export function upgradeFiles(files: readonly LoadedFile[]): { files: LoadedFile[]; diagnostics: Diagnostic[]; notes: Diagnostic[] } {
  const upgraded: LoadedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const notes: Diagnostic[] = [];
  for (const file of files) {
    const reading = readFormat(file.value, file.role);
    if (reading.kind === 'current') upgraded.push(file);
    else if (reading.kind === 'unknown') {
      const at = file.locate(['format']);
      diagnostics.push(diagnostic(at, 'schema', reading.message, file.sourceLine(at)));
    } else {
      upgraded.push({ ...file, value: reading.value });
      notes.push(diagnostic({ file: file.path, line: 1, col: 1 }, 'format', olderFormatNote(reading), null));
    }
  }
  return { files: upgraded, diagnostics, notes };
}

function olderFormatNote(reading: Extract<FormatReading, { kind: 'older' }>): string {
  const changed = reading.edits.length > 1 ? `read as format ${SPEC_FORMAT}, in which ${reading.changes.join('; ')}` : `it reads the same in format ${SPEC_FORMAT}`;
  return `note: written in spec format ${reading.format} (it names no newer \`format:\`); ${changed}. 'errspec migrate' rewrites it in format ${SPEC_FORMAT}.`;
}

/**
 * Every retry rule of a file, with its path: the taxonomy's category rules; a provider's defaults,
 * and the rules of its codes, their sub-types and its status entries.
 */
function retryRules(value: Readonly<Record<string, unknown>>, role: FileRole): { path: (string | number)[]; rule: Readonly<Record<string, unknown>> }[] {
  const found: { path: (string | number)[]; rule: Readonly<Record<string, unknown>> }[] = [];
  const add = (path: (string | number)[], rule: unknown): void => {
    if (isRecord(rule)) found.push({ path, rule });
  };
  if (role === 'taxonomy') {
    for (const [id, category] of entries(value.categories)) add(['categories', id, 'retry'], isRecord(category) ? category.retry : undefined);
  }
  if (role === 'provider') {
    const defaults = isRecord(value.defaults) ? value.defaults : {};
    add(['defaults', 'retry'], defaults.retry);
    add(['defaults', 'networkRetry'], defaults.networkRetry);
    for (const [layerId, layer] of entries(value.layers)) {
      if (!isRecord(layer)) continue;
      for (const [code, entry] of entries(layer.codes)) {
        if (!isRecord(entry)) continue;
        add(['layers', layerId, 'codes', code, 'retry'], entry.retry);
        if (Array.isArray(entry.subtypes)) entry.subtypes.forEach((s: unknown, i) => add(['layers', layerId, 'codes', code, 'subtypes', i, 'retry'], isRecord(s) ? s.retry : undefined));
      }
      for (const [status, entry] of entries(layer.statuses)) add(['layers', layerId, 'statuses', status, 'retry'], isRecord(entry) ? entry.retry : undefined);
    }
  }
  return found;
}

/** A copy of `value` with each edit made; what the edits do not touch is shared. */
function applyEdits(value: Record<string, unknown>, edits: readonly Edit[]): Record<string, unknown> {
  let result = value;
  for (const { path, value: replacement } of edits) result = setIn(result, path, replacement) as Record<string, unknown>;
  return result;
}

function setIn(node: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [key, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(node)) {
    const copy = [...node];
    copy[Number(key)] = setIn(copy[Number(key)], rest, replacement);
    return copy;
  }
  const record = isRecord(node) ? node : {};
  return { ...record, [key]: setIn(record[key], rest, replacement) };
}

function entries(value: unknown): [string, unknown][] {
  return isRecord(value) ? Object.entries(value) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
