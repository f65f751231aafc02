/**
 * The server's retry hint. `retry-after-ms` (milliseconds) wins over `Retry-After`
 * (delay-seconds or an HTTP-date). Anything garbled, negative or non-finite gives null.
 */
import type { HeadersLike } from './types.js';

/** Longer values are not a number of seconds nor a date; skip them without scanning. */
const MAX_HINT_LENGTH = 64;
const DELAY_SECONDS = /^\d+(?:\.\d+)?$/;
/** IMF-fixdate, RFC 850 and asctime forms (RFC 9110 §5.6.7). */
const HTTP_DATE =
  /^(?:[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT|[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/;

export function readRetryAfterMs(headers: unknown, now: number = Date.now()): number | null {
  if (typeof headers !== 'object' || headers === null) return null;
  try {
    const ms = parseMilliseconds(headerValue(headers as HeadersLike, 'retry-after-ms'));
    if (ms !== null) return ms;
    return parseRetryAfter(headerValue(headers as HeadersLike, 'retry-after'), now);
  } catch {
    return null;
  }
}

/** Case-insensitive lookup in a `Headers`-like object or a plain record; the first of several values. */
function headerValue(headers: HeadersLike, name: string): string | null {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const value: unknown = (headers as { get(name: string): unknown }).get(name);
    return typeof value === 'string' ? value : null;
  }
  for (const key of Object.keys(headers)) {
    if (key.length !== name.length || key.toLowerCase() !== name) continue;
    const value: unknown = (headers as Record<string, unknown>)[key];
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
    return null;
  }
  return null;
}

function parseMilliseconds(value: string | null): number | null {
  if (value === null || value.length > MAX_HINT_LENGTH) return null;
  const trimmed = value.trim();
  if (!DELAY_SECONDS.test(trimmed)) return null;
  const ms = Number(trimmed);
  return Number.isFinite(ms) ? ms : null;
}

function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.length > MAX_HINT_LENGTH) return null;
  const trimmed = value.trim();
  if (DELAY_SECONDS.test(trimmed)) {
    const ms = Number(trimmed) * 1000;
    return Number.isFinite(ms) ? ms : null;
  }
  if (!HTTP_DATE.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (!Number.isFinite(at)) return null;
  return Math.max(0, at - now);
}
