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

/** Error bodies nest a few levels; far deeper text is hostile, and slow for JSON.parse. */
const MAX_DEPTH = 512;
/** Below this size even the deepest nesting parses in well under a millisecond. */
const SCAN_DEPTH_ABOVE = 16_384;

function parseText(text: string): ParsedBody {
  if (text.trim() === '') return ABSENT;
  // The first-character test skips HTML pages without a parse attempt.
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[' && first !== '"') return NOT_JSON;
  if (text.length > SCAN_DEPTH_ABOVE && nestsDeeperThan(text, MAX_DEPTH)) return NOT_JSON;
  try {
    return { present: true, value: JSON.parse(text) as unknown, json: true };
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
