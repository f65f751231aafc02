/**
 * Stage 1, load: read the spec folder and parse every YAML file with positions. Reading is the
 * only I/O here; parsing is pure and reports YAML problems as diagnostics.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { diagnostic, type Diagnostic, type SourcePosition } from './diagnostics.js';
import { chooseTaxonomy } from './taxonomy.js';
import { CANONICAL_TAXONOMY, FORMAT_SCHEMA_DIR, RUNTIME_SOURCE_DIRS } from './paths.js';

export const TAXONOMY_FILE = 'taxonomy.yaml';

export type FileRole = 'taxonomy' | 'package' | 'provider';

/** A file's role from its name: `taxonomy.yaml`, `package.yaml` (the package's settings), or a provider; `.yml` as well. */
export function roleOf(path: string): FileRole {
  const stem = fileStem(path);
  return stem === 'taxonomy' ? 'taxonomy' : stem === 'package' ? 'package' : 'provider';
}

/** `spec/ltx.yaml` → `ltx`: a provider file's name, which is its id. */
export function fileStem(path: string): string {
  return baseName(path).replace(/\.ya?ml$/, '');
}

/** A spec file as read from disk. */
export interface SpecSource {
  /** Display path for diagnostics, relative to the working directory. */
  readonly path: string;
  /**
   * The spec folder's name and the file's (`spec/evolink.yaml`): what generated files name as
   * their source, the same from any working directory.
   */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** When the file was last changed; tells a newly added copy from the file it was copied from. */
  readonly modifiedMs?: number;
  /** errspec's own taxonomy, read beside a spec's files (see withCanonicalTaxonomy). */
  readonly canonical?: boolean;
}

export interface LoadedFile {
  readonly path: string;
  readonly name: string;
  readonly text: string;
  readonly role: FileRole;
  readonly modifiedMs: number | null;
  /** The plain JavaScript value of the document. */
  readonly value: unknown;
  /** Finds the position of a JSON-pointer-like path inside the document. */
  readonly locate: (path: readonly (string | number)[], at?: 'value' | 'key') => SourcePosition;
  /** The text of a 1-based line, for diagnostics. */
  readonly lineText: (line: number) => string;
  /** The text of the line a position (from `locate`) is on; a merged file's positions may be in either file. */
  readonly sourceLine: (at: SourcePosition) => string;
  /** Whether the document holds a value at `path` (keys compared as strings). */
  readonly contains: (path: readonly (string | number)[]) => boolean;
  /** errspec's canonical taxonomy, not a file of the spec folder. */
  readonly canonical: boolean;
  /** For a taxonomy laid over the canonical one (`extends: errspec`), the canonical file's text. */
  readonly canonicalBase?: string;
}

export interface LoadResult {
  readonly files: readonly LoadedFile[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads `*.yaml` files of a spec folder in name order, and errspec's canonical taxonomy when the
 * folder has no taxonomy of its own. Throws only for an unreadable folder.
 */
export function readSpecDir(dir: string, cwd: string = process.cwd()): SpecSource[] {
  const sources = readdirSync(dir)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => ({
      path: relative(cwd, join(dir, name)) || name,
      name: `${basename(resolve(dir))}/${name}`,
      bytes: readFileSync(join(dir, name)),
      modifiedMs: statSync(join(dir, name)).mtimeMs,
    }));
  return withCanonicalTaxonomy(sources, cwd);
}

/**
 * errspec's canonical taxonomy, read from the errspec that runs, beside the spec's files: a spec
 * without a taxonomy file is mapped onto it, and one whose taxonomy says `extends: errspec` changes
 * it (see taxonomy.ts), so that an upgrade brings its taxonomy with it. A spec whose taxonomy
 * stands alone does not use it.
 */
export function withCanonicalTaxonomy(sources: SpecSource[], cwd: string, recorded: SpecSource | null = null): SpecSource[] {
  if (sources.some((s) => s.canonical)) return sources;
  // A revision whose package recorded the canonical taxonomy it was made from maps onto that one.
  if (recorded !== null) return [...sources, { ...recorded, name: CANONICAL_TAXONOMY_NAME, canonical: true }];
  const path = relative(cwd, CANONICAL_TAXONOMY);
  return [...sources, { path: path.startsWith('..') ? CANONICAL_TAXONOMY : path, name: CANONICAL_TAXONOMY_NAME, bytes: readFileSync(CANONICAL_TAXONOMY), canonical: true }];
}

/** What generated files name as the source of the canonical taxonomy. */
export const CANONICAL_TAXONOMY_NAME = 'errspec/taxonomy.yaml';

/** `folder` names the spec folder in a diagnostic about a file it lacks. */
export function loadSpec(sources: readonly SpecSource[], folder?: string): LoadResult {
  const files: LoadedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const source of sources) {
    const result = parseSpecFile(source);
    diagnostics.push(...result.diagnostics);
    if (result.file) files.push(result.file);
  }
  if (!sources.some((s) => roleOf(s.path) === 'taxonomy')) {
    const dir = folder ?? (sources[0] ? dirname(sources[0].path) : '.');
    const at = { file: dir === '.' ? TAXONOMY_FILE : join(dir, TAXONOMY_FILE), line: 1, col: 1 };
    diagnostics.push(diagnostic(at, 'io', `the spec folder has no ${TAXONOMY_FILE}`, null));
  }
  const taxonomy = chooseTaxonomy(files);
  diagnostics.push(...taxonomy.diagnostics);
  return { files: taxonomy.files, diagnostics };
}

function parseSpecFile(source: SpecSource): { file: LoadedFile | null; diagnostics: Diagnostic[] } {
  const start = { file: source.path, line: 1, col: 1 };
  const text = decodeText(source.bytes);
  if (text === null) {
    return { file: null, diagnostics: [diagnostic(start, 'yaml', 'not a UTF-8 text file', null)] };
  }
  const lines = text.split(/\r?\n/);
  const lineText = (line: number): string => lines[line - 1] ?? '';
  if (text.trim() === '' || isOnlyComments(lines)) {
    return { file: null, diagnostics: [diagnostic(start, 'yaml', 'the file is empty', null)] };
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const diagnostics: Diagnostic[] = [];
  for (const error of reportedErrors(doc.errors)) {
    const offset = error.pos[0];
    const { line, col } = lineCounter.linePos(offset);
    const at = { file: source.path, line, col };
    diagnostics.push(diagnostic(at, 'yaml', yamlMessage(error.code, error.message, text, offset), lineText(line)));
  }
  if (diagnostics.length > 0) return { file: null, diagnostics };

  const locate = (path: readonly (string | number)[], at: 'value' | 'key' = 'value'): SourcePosition => {
    const offset = findOffset(doc, path, at);
    const { line, col } = lineCounter.linePos(offset);
    return { file: source.path, line, col };
  };
  const role = roleOf(source.path);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Aliases are resolved only here (an alias before its anchor, an alias bomb); point at the alias.
    const message = (error as Error).message;
    const alias = /: ([^\s:]+)$/.exec(message)?.[1];
    const offset = alias === undefined ? -1 : text.indexOf(`*${alias}`);
    const at = offset < 0 ? start : { file: source.path, ...lineCounter.linePos(offset) };
    return { file: null, diagnostics: [diagnostic(at, 'yaml', `YAML: ${message}`, lineText(at.line))] };
  }
  const file: LoadedFile = {
    path: source.path,
    name: source.name,
    text,
    role,
    modifiedMs: source.modifiedMs ?? null,
    value,
    locate,
    lineText,
    sourceLine: (at) => lineText(at.line),
    contains: (path) => nodeAt(doc, path) !== undefined,
    canonical: source.canonical === true,
  };
  return { file, diagnostics };
}

/**
 * After a syntax error the parser's view of the rest of the file is a guess, and an indentation
 * slip cascades into errors about lines that are fine: report the first one only. Duplicate keys
 * are independent of each other, so every one before that error is reported.
 */
function reportedErrors<E extends { code: string; pos: [number, number] }>(errors: readonly E[]): E[] {
  const ordered = [...errors].sort((a, b) => a.pos[0] - b.pos[0]);
  const firstSyntax = ordered.findIndex((e) => e.code !== 'DUPLICATE_KEY');
  return firstSyntax < 0 ? ordered : ordered.slice(0, firstSyntax + 1);
}

function decodeText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

function isOnlyComments(lines: readonly string[]): boolean {
  return lines.every((line) => line.trim() === '' || line.trimStart().startsWith('#'));
}

function yamlMessage(code: string, message: string, text: string, offset: number): string {
  if (code === 'DUPLICATE_KEY') {
    const key = /^[^\s:]+/.exec(text.slice(offset))?.[0];
    return key ? `duplicate key "${key}"` : 'duplicate key';
  }
  if (code === 'TAB_AS_INDENT') return 'tabs are not allowed for indentation; use spaces';
  // The library's message ends with its own location; ours is already in front.
  const plain = `YAML: ${message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '')}`;
  // What these mean in practice: a line below this value is indented deeper than its siblings.
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') return `${plain} (is a line below indented too far?)`;
  // Brackets end a value inside a [ … ] list: a field path stepping into an array must be quoted there.
  if (code === 'MISSING_CHAR' && message.includes('flow sequence')) return `${plain} (a value with [ or ] inside a [ … ] list, such as a field path, must be quoted)`;
  return plain;
}

/**
 * Walks the document by path. Keys are compared as strings so that `429:` is found by "429".
 * Falls back to the deepest node reached, so a position is always available.
 */
function findOffset(doc: Document, path: readonly (string | number)[], at: 'value' | 'key'): number {
  let offset = rangeStart(doc.contents) ?? 0;
  walk(doc, path, (node, key, last) => {
    offset = (last && at === 'key' ? rangeStart(key) : undefined) ?? rangeStart(node) ?? rangeStart(key) ?? offset;
  });
  return offset;
}

/** The node at `path`, its keys compared as strings (`429:` is found by "429"); undefined when there is none. */
export function nodeAt(doc: Document, path: readonly (string | number)[]): unknown {
  let found: unknown;
  return walk(doc, path, (node) => (found = node)) ? found : undefined;
}

/** Calls `step` with each node on the way down `path` (and its key, in a map); true when the whole path was found. */
function walk(doc: Document, path: readonly (string | number)[], step: (node: unknown, key: unknown, last: boolean) => void): boolean {
  let node: unknown = doc.contents;
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return false;
      node = pair.value;
      step(node, pair.key, last);
    } else if (isSeq(node)) {
      node = node.items[Number(segment)];
      if (node === undefined) return false;
      step(node, undefined, last);
    } else {
      return false;
    }
  }
  return true;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

/** The file's own name; a git revision's `REV:name` counts as `name`. */
export function baseName(path: string): string {
  return (path.split(/[\\/]/).pop() ?? path).replace(/^.*:/, '');
}

/** The JSON Schemas of the spec format, one per file role. */
export type FormatSchemas = Readonly<Record<FileRole, Readonly<Record<string, unknown>>>>;

/** The JSON Schemas of the spec format itself; they ship with errspec, beside its own spec. */
export function readFormatSchemas(): FormatSchemas {
  const read = (role: FileRole): Record<string, unknown> =>
    JSON.parse(readFileSync(join(FORMAT_SCHEMA_DIR, `${role}.schema.json`), 'utf8')) as Record<string, unknown>;
  return { taxonomy: read('taxonomy'), package: read('package'), provider: read('provider') };
}

/** The runtime's TypeScript sources, shipped compiled inside the generated package: one module per folder. */
export function readRuntimeSources(): { path: string; text: string }[] {
  return RUNTIME_SOURCE_DIRS.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
      .sort()
      .map((name) => ({ path: `generator/${basename(dir)}/${name}`, text: readFileSync(join(dir, name), 'utf8') })),
  );
}
