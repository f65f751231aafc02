/**
 * The project's settings, from `errspec.config.json` beside where errspec runs (or the file
 * `--config` names): the spec folder, the output folders, the files there errspec does not own,
 * and the output form. Paths in it are relative to the file's folder. Command-line flags override it.
 *
 * JSON rather than a script, as tsconfig.json and buf.yaml are: errspec reads it without running
 * anything, and an editor checks it against spec/schema/config.schema.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, type Node } from 'yaml';
import { formatDiagnostic } from './diagnostics.js';
import { keptPaths } from './write.js';
import { OUTPUT_FORMS, type OutputForm } from './output-form.js';

export const CONFIG_FILE = 'errspec.config.json';

export interface Config {
  /** The config file read, absolute; null when there is none. */
  readonly file: string | null;
  /** Absolute paths, when the config names them. */
  readonly spec?: string;
  readonly out?: string;
  readonly docs?: string;
  /** Files inside the output folder that errspec does not own and leaves in place (a CHANGELOG, a tsconfig). */
  readonly keep: readonly string[];
  readonly form?: OutputForm;
}

/** A folder: the flag's (relative to where errspec runs) when given, else the config's, else `fallback` there. */
export function folderOf(flag: string | undefined, configured: string | undefined, fallback: string, cwd: string): string {
  return flag !== undefined ? resolve(cwd, flag) : (configured ?? resolve(cwd, fallback));
}

/** A config file that cannot be used: its problems, each as `file:line:col: message`. */
export class ConfigError extends Error {}

const PATH_KEYS = ['spec', 'out', 'docs'] as const;
const KNOWN_KEYS = new Set<string>(['$schema', ...PATH_KEYS, 'keep', 'form']);

/**
 * Reads the config: `explicit` (from --config) must exist; otherwise `errspec.config.json` in
 * `cwd` is read when it is there. Throws ConfigError listing every problem.
 */
export function readConfig(cwd: string, explicit?: string): Config {
  const file = explicit === undefined ? resolve(cwd, CONFIG_FILE) : resolve(cwd, explicit);
  if (!existsSync(file)) {
    if (explicit !== undefined) throw new ConfigError(`no such config file: ${explicit}`);
    return { file: null, keep: [] };
  }
  return parseConfig(readFileSync(file, 'utf8'), file, explicit ?? CONFIG_FILE);
}

/** `shown` is the file as messages name it. Pure. */
export function parseConfig(text: string, file: string, shown: string): Config {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const problems: string[] = [];
  const at = (node: unknown, message: string): void => {
    const { line, col } = lines.linePos((node as Node | null)?.range?.[0] ?? 0);
    const sourceLine = text.split(/\r?\n/)[line - 1] ?? null;
    problems.push(formatDiagnostic({ file: shown, line, col, kind: 'schema', message, sourceLine }));
  };
  for (const error of doc.errors) at({ range: error.pos }, `not valid JSON: ${error.message.split('\n')[0]}`);
  // The YAML parser gives positions; JSON.parse says whether it is JSON at all (YAML is more lenient).
  if (problems.length === 0) {
    try {
      JSON.parse(text);
    } catch (error) {
      const offset = Number(/position (\d+)/.exec((error as Error).message)?.[1] ?? 0);
      at({ range: [offset] }, `not valid JSON: ${(error as Error).message.replace(/ in JSON at position \d+.*$/, '')}`);
    }
  }
  if (problems.length === 0 && !isMap(doc.contents)) at(doc.contents, 'the config must be a JSON object');
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));

  const base = dirname(file);
  const settings: { spec?: string; out?: string; docs?: string; keep: string[]; form?: OutputForm } = { keep: [] };
  for (const pair of isMap(doc.contents) ? doc.contents.items : []) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value;
    if (!KNOWN_KEYS.has(key)) {
      at(pair.key, `unknown setting '${key}' (known: ${[...KNOWN_KEYS].filter((k) => k !== '$schema').join(', ')})`);
    } else if (isPathKey(key)) {
      if (isScalar(value) && typeof value.value === 'string' && value.value !== '') settings[key] = resolve(base, value.value);
      else at(value ?? pair.key, `${key} must be a folder path (a non-empty string)`);
    } else if (key === 'form') {
      const form = isScalar(value) ? value.value : null;
      if (typeof form === 'string' && (OUTPUT_FORMS as readonly string[]).includes(form)) settings.form = form as OutputForm;
      else at(value ?? pair.key, `form must be one of ${OUTPUT_FORMS.join(', ')}`);
    } else if (key === 'keep') {
      const items = (value as { items?: unknown[] } | null)?.items;
      const entries = Array.isArray(items) ? items.map((item) => (isScalar(item) && typeof item.value === 'string' ? item.value : null)) : null;
      const kept = entries === null || entries.includes(null) ? null : keptPaths(entries as string[]);
      if (kept === null) at(value ?? pair.key, 'keep must be a list of file paths inside the output folder, such as ["CHANGELOG.md"]');
      else if (kept.problem !== null) at(value ?? pair.key, kept.problem);
      else settings.keep = kept.paths;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return { file, ...settings };
}

function isPathKey(key: string): key is (typeof PATH_KEYS)[number] {
  return (PATH_KEYS as readonly string[]).includes(key);
}
