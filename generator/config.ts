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
import jsonc, { type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { LineCounter } from 'yaml';
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
export function parseConfig(source: string, file: string, shown: string): Config {
  // An editor's byte order mark is no mistake of the writer's; JSON has none.
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const lines = lineStarts(text);
  const problems: string[] = [];
  const at = (offset: number, message: string): void => {
    const { line, col } = lines.linePos(offset);
    const sourceLine = text.split(/\r?\n/)[line - 1] ?? null;
    problems.push(formatDiagnostic({ file: shown, line, col, kind: 'schema', message, sourceLine }));
  };
  const errors: ParseError[] = [];
  let root: JsonNode | undefined;
  try {
    root = jsonc.parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // The parser recurses: thousands of nested arrays exhaust the stack.
    at(0, 'not valid JSON: nested too deeply');
  }
  // The first error is the mistake; the parser's later ones follow from it. One at the very end
  // (a missing '}') is shown on the last line that has anything on it.
  const first = errors[0];
  if (first !== undefined) at(Math.min(first.offset, text.trimEnd().length), `not valid JSON: ${syntaxProblem(first, text)}`);
  else if (problems.length === 0 && root?.type !== 'object') at(root?.offset ?? 0, 'the config must be a JSON object');
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));

  const base = dirname(file);
  const settings: { spec?: string; out?: string; docs?: string; keep: string[]; form?: OutputForm } = { keep: [] };
  const seen = new Set<string>();
  for (const property of root?.children ?? []) {
    const [keyNode, value] = property.children ?? [];
    if (keyNode === undefined || value === undefined) continue;
    const key = String(keyNode.value);
    if (seen.has(key)) {
      at(keyNode.offset, `the setting '${key}' is set twice`);
      continue;
    }
    seen.add(key);
    if (!KNOWN_KEYS.has(key)) {
      at(keyNode.offset, `unknown setting '${key}' (known: ${[...KNOWN_KEYS].filter((k) => k !== '$schema').join(', ')})`);
    } else if (isPathKey(key)) {
      if (value.type === 'string' && value.value !== '') settings[key] = resolve(base, value.value as string);
      else at(value.offset, `${key} must be a folder path (a non-empty string)`);
    } else if (key === 'form') {
      if (value.type === 'string' && (OUTPUT_FORMS as readonly unknown[]).includes(value.value)) settings.form = value.value as OutputForm;
      else at(value.offset, `form must be one of ${OUTPUT_FORMS.join(', ')}`);
    } else if (key === 'keep') {
      const entries = value.type === 'array' ? (value.children ?? []).map((item) => (item.type === 'string' ? (item.value as string) : null)) : null;
      const kept = entries === null || entries.includes(null) ? null : keptPaths(entries as string[]);
      if (kept === null) at(value.offset, 'keep must be a list of file paths inside the output folder, such as ["CHANGELOG.md"]');
      else if (kept.problem !== null) at(value.offset, kept.problem);
      else settings.keep = kept.paths;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return { file, ...settings };
}

/** Where each line of `text` starts, for positions from offsets. */
function lineStarts(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return lines;
}

/** What the parser found, in words; the symbol it stopped at, when that is what is wrong. */
function syntaxProblem(error: ParseError, text: string): string {
  const code = jsonc.printParseErrorCode(error.error);
  if (code !== 'InvalidSymbol') return SYNTAX_PROBLEMS[code] ?? code;
  const symbol = text.slice(error.offset, error.offset + Math.max(1, error.length));
  // A character that shows as nothing (a no-break space pasted in) is named by its code point.
  const invisible = symbol.length === 1 && !/^[!-~]$/.test(symbol);
  return `unexpected ${invisible ? `U+${symbol.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : JSON.stringify(symbol)}`;
}

const SYNTAX_PROBLEMS: Readonly<Record<string, string>> = {
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a property name in double quotes expected',
  ValueExpected: 'a value expected',
  ColonExpected: "':' expected",
  CommaExpected: "',' expected",
  CloseBraceExpected: "'}' expected",
  CloseBracketExpected: "']' expected",
  EndOfFileExpected: 'nothing may follow the object',
  InvalidCommentToken: 'JSON has no comments',
  UnexpectedEndOfComment: 'JSON has no comments',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number ends too soon',
  InvalidUnicode: 'a malformed \\u escape',
  InvalidEscapeCharacter: 'an escape JSON does not have',
  InvalidCharacter: 'a control character inside a string',
};

function isPathKey(key: string): key is (typeof PATH_KEYS)[number] {
  return (PATH_KEYS as readonly string[]).includes(key);
}
