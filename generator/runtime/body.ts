/**
 * Reading untrusted bodies. Everything here is total: hostile values (throwing getters, proxies,
 * cycles) make a read come back empty instead of throwing.
 */

/** A body that was absent, empty or blank. */
export const NO_BODY: unique symbol = Symbol('no body');
/** A body that was present but is not JSON (an HTML page, truncated text). */
export const NOT_JSON: unique symbol = Symbol('not JSON');

/**
 * Accepts raw text, bytes, or an already-parsed value. Text and bytes are parsed; parsed values
 * pass through untouched, so the common case allocates nothing. NO_BODY and NOT_JSON mark the rest.
 */
export function parseBody(body: unknown): unknown {
  if (body === undefined || body === null) return NO_BODY;
  if (typeof body === 'string') return parseText(body);
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return parseText(decodeUtf8(body));
  return body;
}

/** Error bodies nest a few levels; far deeper text is hostile, and slow for JSON.parse. */
const MAX_DEPTH = 512;
/** Below this size even the deepest nesting parses in well under a millisecond. */
const SCAN_DEPTH_ABOVE = 16_384;

function parseText(text: string): unknown {
  if (text.trim() === '') return NO_BODY;
  // The first-character test skips HTML pages without a parse attempt.
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[' && first !== '"') return NOT_JSON;
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

function decodeUtf8(bytes: Uint8Array | ArrayBuffer): string {
  try {
    return new TextDecoder().decode(bytes);
  } catch {
    return '';
  }
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
