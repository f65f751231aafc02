/**
 * Reading untrusted bodies. Everything here is total: hostile values (throwing getters, proxies,
 * cycles) make a read come back empty instead of throwing.
 */

/** A body as received: parsed JSON where it parsed, and whether anything was there at all. */
export interface ParsedBody {
  readonly present: boolean;
  /** The parsed value; undefined for an absent or non-JSON body. */
  readonly value: unknown;
  readonly json: boolean;
}

const ABSENT: ParsedBody = { present: false, value: undefined, json: false };
const NOT_JSON: ParsedBody = { present: true, value: undefined, json: false };

/** Accepts raw text, bytes, or an already-parsed value. */
export function parseBody(body: unknown): ParsedBody {
  if (body === undefined || body === null) return ABSENT;
  if (typeof body === 'string') return parseText(body);
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return parseText(decodeUtf8(body));
  return { present: true, value: body, json: true };
}

function parseText(text: string): ParsedBody {
  if (text.trim() === '') return ABSENT;
  // JSON.parse is linear and non-recursive in V8; the first-character test skips HTML pages cheaply.
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[' && first !== '"') return NOT_JSON;
  try {
    return { present: true, value: JSON.parse(text) as unknown, json: true };
  } catch {
    return NOT_JSON;
  }
}

function decodeUtf8(bytes: Uint8Array | ArrayBuffer): string {
  try {
    return new TextDecoder().decode(bytes);
  } catch {
    return '';
  }
}

/**
 * Follows a path of own properties. Inherited members (`constructor`, `__proto__`, `toString`)
 * are never read, so a body cannot reach the prototype chain. Throws through hostile getters;
 * callers guard once around a whole extraction.
 */
export function readPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A non-empty string at the path, else null. */
export function readString(value: unknown, path: readonly string[] | null): string | null {
  if (path === null) return null;
  const found = readPath(value, path);
  return typeof found === 'string' && found !== '' ? found : null;
}

/** An identifier: a non-empty string, or a finite number as text. */
export function readIdentifier(value: unknown, path: readonly string[]): string | null {
  const found = readPath(value, path);
  if (typeof found === 'string') return found === '' ? null : found;
  if (typeof found === 'number' && Number.isFinite(found)) return String(found);
  return null;
}
