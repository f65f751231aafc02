import type { FieldPath, FieldPaths, Loose, RawFields } from './types.js';

/**
 * Reading untrusted bodies. Everything here is total: hostile values (throwing getters, proxies,
 * cycles) make a read come back empty instead of throwing.
 */

/** A body that was absent, empty or blank. */
export const NO_BODY: unique symbol = /* @__PURE__ */ Symbol('no body');
/** A body that was present but is not JSON (an HTML page, truncated text). */
export const NOT_JSON: unique symbol = /* @__PURE__ */ Symbol('not JSON');
/** A body that was present but could not be read here: a stream, a Blob, a consumed Response. */
export const UNREAD: unique symbol = /* @__PURE__ */ Symbol('unread');

/**
 * Accepts raw text, bytes, or an already-parsed value. Text and bytes are parsed; parsed values
 * pass through untouched, so the common case allocates nothing. NO_BODY, NOT_JSON and UNREAD
 * mark the rest.
 */
export function parseBody(body: unknown): unknown {
  if (body === undefined || body === null) return NO_BODY;
  if (typeof body === 'string') return parseText(body);
  if (typeof body !== 'object') return body;
  // JSON.parse and object literals make plain objects and arrays: the fast path.
  const proto = Object.getPrototypeOf(body) as unknown;
  if (proto === Object.prototype || proto === Array.prototype || proto === null) return body;
  if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer || isSharedBuffer(body)) return parseText(decodeUtf8(body as BufferSource));
  return isUnreadable(body) ? UNREAD : body;
}

/**
 * Streams (web or Node), Blobs and Response-like objects hold a body only an await can read; so
 * does a promise (`res.json()` without its await).
 */
function isUnreadable(body: object): boolean {
  const b = body as { getReader?: unknown; arrayBuffer?: unknown; pipe?: unknown; then?: unknown; [Symbol.asyncIterator]?: unknown };
  return (
    typeof b.then === 'function' ||
    typeof b.getReader === 'function' ||
    typeof b.arrayBuffer === 'function' ||
    typeof b.pipe === 'function' ||
    typeof b[Symbol.asyncIterator] === 'function'
  );
}

function isSharedBuffer(body: object): boolean {
  return typeof SharedArrayBuffer === 'function' && body instanceof SharedArrayBuffer;
}

/** Error bodies nest a few levels; far deeper text is hostile, and slow for JSON.parse. */
const MAX_DEPTH = 512;
/** Below this size even the deepest nesting parses in well under a millisecond. */
const SCAN_DEPTH_ABOVE = 16_384;

function parseText(raw: string): unknown {
  // A byte-order mark is not part of the JSON text.
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  // The first character after white space tells an empty body, and skips HTML pages without a parse attempt.
  let start = 0;
  while (start < text.length && text.charCodeAt(start) <= 0x20) start++;
  if (start === text.length) return NO_BODY;
  const first = text.charCodeAt(start);
  if (first !== 0x7b && first !== 0x5b && first !== 0x22) return NOT_JSON; // an object, an array or a string
  if (text.length > SCAN_DEPTH_ABOVE && nestsDeeperThan(text, MAX_DEPTH)) return NOT_JSON;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/** One linear pass over the text, skipping string contents. */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function decodeUtf8(bytes: BufferSource): string {
  try {
    return new TextDecoder().decode(bytes);
  } catch {
    return '';
  }
}

/** The fields of a body that could not be read, or of one nothing is read from. */
export const NO_FIELDS: RawFields = { code: undefined, codeFallbacks: undefined, message: undefined, param: undefined, suggestion: undefined, subtype: undefined, status: undefined };

/**
 * Reads every field path on its own, exactly as the generated `body?.a?.b` readers do, so that a
 * field whose getter throws loses only itself. The classifiers use it when a generated reader
 * throws; the generator uses it to check spec examples before any reader exists.
 */
export function readFieldPaths(paths: FieldPaths, body: unknown): RawFields {
  const codes = paths.code;
  return {
    code: readPath(body, codes[0] ?? null),
    codeFallbacks: codes.length > 1 ? codes.slice(1).map((path) => readPath(body, path)) : undefined,
    message: readFirst(body, paths.message),
    param: readFirst(body, paths.param),
    suggestion: readFirst(body, paths.suggestion),
    subtype: readFirst(body, paths.subtype),
    status: readPath(body, paths.status),
  };
}

/** The value at the only path; of several, the first that is a non-empty text (as firstText picks). */
function readFirst(body: unknown, paths: readonly FieldPath[]): unknown {
  if (paths.length <= 1) return readPath(body, paths[0] ?? null);
  return firstText(...paths.map((path) => readPath(body, path)));
}

/**
 * The first of these values that is a non-empty text, else undefined: a field that each shape of
 * a provider's errors keeps in a place of its own (fal's `detail[0].msg`, or `detail` itself).
 */
export function firstText(...values: unknown[]): unknown {
  for (const value of values) if (typeof value === 'string' && value !== '') return value;
  return undefined;
}

/** The value at a path, or undefined; a throwing getter or proxy counts as absent. */
export function readPath(body: unknown, path: FieldPath | null): unknown {
  if (path === null) return undefined;
  try {
    let current = body;
    for (const step of path) {
      if (current === null || current === undefined) return undefined;
      current = typeof step === 'string' ? (current as Record<string, unknown>)[step] : typeof step === 'number' ? element(current, step) : elementWhere(current, step.key, step.equals);
    }
    return current;
  } catch {
    return undefined;
  }
}

/** A JSON object, as JSON Schema's `object` type (and ajv) means it: not null, not an array. For the shape checks. */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether every element of an array meets `test` (JSON Schema's `items`); anything else has no
 * elements to fail. Every index is tested, a hole as undefined, as ajv does: not `Array#every`.
 */
export function everyItem(value: unknown, test: (item: unknown) => boolean): boolean {
  if (!Array.isArray(value)) return true;
  for (let i = 0; i < value.length; i++) if (!test(value[i])) return false;
  return true;
}

/** An array's element; anything else has none. Typed as a reader sees a body: anything may be missing. */
export function element(value: unknown, index: number): Loose {
  return Array.isArray(value) ? (value[index] as Loose) : undefined;
}

/** An array looked through this far at most for a match: error details are a handful, hostile arrays endless. */
const MAX_SCANNED = 64;

/** The first element of an array, among its first MAX_SCANNED, whose own `key` is exactly `equals`. */
export function elementWhere(value: unknown, key: string, equals: string): Loose {
  if (!Array.isArray(value)) return undefined;
  const end = Math.min(value.length, MAX_SCANNED);
  for (let i = 0; i < end; i++) {
    const item = value[i] as unknown;
    if (typeof item === 'object' && item !== null && Object.hasOwn(item, key) && (item as Record<string, unknown>)[key] === equals) return item as Loose;
  }
  return undefined;
}

/** A path as spec files write it. */
export function pathText(path: FieldPath): string {
  let text = '';
  for (const step of path) {
    if (typeof step === 'string') text += text === '' ? step : `.${step}`;
    else text += typeof step === 'number' ? `[${step}]` : `[${step.key}=${step.equals}]`;
  }
  return text;
}

/** A non-empty string, else null. */
export function asText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** An identifier: a non-empty string, or a finite number as text. */
export function asIdentifier(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}
