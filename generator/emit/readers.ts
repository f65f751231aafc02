/**
 * Field readers: for each layer, a function that reads every field path with plain property
 * access (`body?.error?.type`). Generated rather than looked up at run time, because a direct
 * property load is several times faster than walking a path array. A step into an array calls
 * the runtime's `element` or `elementWhere`, which the caller imports (`helpers` collects them).
 */
import type { LayerModel } from '../model.js';
import { pathText } from '../runtime/body.js';
import type { FieldPath, PathStep } from '../runtime/types.js';
import { quote } from './literal.js';
import type { Declaration } from './module.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
    'implements interface package private protected public await body undefined').split(' '),
);

export function readerName(layer: LayerModel): string {
  return layer.layer === 'http' ? 'readHttpFields' : 'readTaskFields';
}

export function readerDeclaration(layer: LayerModel, helpers: Set<string>): Declaration {
  const { fields } = layer;
  const paths = [...fields.code, ...fields.message, ...fields.param, ...fields.suggestion, ...fields.subtype, fields.status].filter((p): p is FieldPath => p !== null);
  const listed = [...new Set(paths.map(pathText))].map((path) => `\`${path}\``).join(', ');
  return {
    kind: 'function',
    exported: false,
    name: readerName(layer),
    parameters: [{ name: 'body', type: 'Loose' }],
    returnType: 'RawFields',
    body: readerBody(layer, paths, helpers, dotted),
    // An app's strictest settings (noPropertyAccessFromIndexSignature) want brackets for keys of a Loose body.
    srcBody: readerBody(layer, paths, helpers, bracketed),
    docs: `Reads the ${layer.layer} layer's fields from a parsed body: ${listed}.`,
  };
}

/** `paths`: every field path the layer reads, each object on the way read once into a local. */
function readerBody(layer: LayerModel, paths: readonly FieldPath[], helpers: Set<string>, access: (segment: string) => string): string {
  const { fields } = layer;
  const status = fields.status;

  // Each object on the way to a field is read once, into a local named after its path.
  const locals = new Map<string, string>();
  const taken = new Set<string>();
  const statements: string[] = [];
  const step = (parent: string, next: PathStep): string => {
    if (typeof next === 'string') return `${parent}${access(next)}`;
    const helper = typeof next === 'number' ? 'element' : 'elementWhere';
    helpers.add(helper);
    return typeof next === 'number' ? `element(${parent}, ${next})` : `elementWhere(${parent}, ${quote(next.key)}, ${quote(next.equals)})`;
  };
  const localFor = (prefix: FieldPath): string => {
    if (prefix.length === 0) return 'body';
    const key = JSON.stringify(prefix);
    const existing = locals.get(key);
    if (existing) return existing;
    const parent = localFor(prefix.slice(0, -1));
    const name = uniqueName(prefix, taken);
    locals.set(key, name);
    statements.push(`const ${name} = ${step(parent, prefix[prefix.length - 1]!)};`);
    return name;
  };
  const expression = (path: FieldPath | null): string => (path === null ? 'undefined' : step(localFor(path.slice(0, -1)), path[path.length - 1]!));
  // Of several places, the first non-empty text (the runtime's firstText); one place is read as it is.
  const first = (list: readonly FieldPath[]): string => {
    if (list.length <= 1) return expression(list[0] ?? null);
    helpers.add('firstText');
    return `firstText(${list.map(expression).join(', ')})`;
  };
  for (const path of paths) localFor(path.slice(0, -1));

  return [
    ...statements,
    'return {',
    `  code: ${expression(fields.code[0] ?? null)},`,
    `  codeFallbacks: ${fields.code.length > 1 ? `[${fields.code.slice(1).map(expression).join(', ')}]` : 'undefined'},`,
    `  message: ${first(fields.message)},`,
    `  param: ${first(fields.param)},`,
    `  suggestion: ${first(fields.suggestion)},`,
    `  subtype: ${first(fields.subtype)},`,
    `  status: ${expression(status)},`,
    '};',
  ].join('\n');
}

function dotted(segment: string): string {
  return IDENTIFIER.test(segment) ? `?.${segment}` : bracketed(segment);
}

function bracketed(segment: string): string {
  return `?.[${quote(segment)}]`;
}

/**
 * `error.details` → `errorDetails`, `detail[0]` → `detail0`, `details[@type=….ErrorInfo]` →
 * `detailsErrorInfo`; never a reserved word, never a name taken before.
 */
function uniqueName(path: FieldPath, taken: Set<string>): string {
  const text = (s: PathStep): string => (typeof s === 'string' ? s : typeof s === 'number' ? String(s) : (s.equals.split(/[./]/).pop() ?? s.key));
  const words = path.flatMap((s) => text(s).split(/[^A-Za-z0-9]+/)).filter((w) => w !== '');
  let name = words.map((w, i) => (i === 0 ? w[0]!.toLowerCase() + w.slice(1) : w[0]!.toUpperCase() + w.slice(1))).join('');
  // A path into a body that is itself an array (`[0].error`) starts with an index: `element0Error`.
  if (/^\d/.test(name)) name = `element${name}`;
  if (name === '' || RESERVED.has(name)) name = `${name || 'field'}Value`;
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}${n}`;
  taken.add(unique);
  return unique;
}
