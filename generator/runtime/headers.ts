/**
 * The server's retry hint. `retry-after-ms` (milliseconds) wins over `Retry-After`
 * (delay-seconds or an HTTP-date). Anything garbled, negative or non-finite gives null.
 */
/** Longer values are not a number of seconds nor a date; skip them without scanning. */
const MAX_HINT_LENGTH = 64;
const DELAY_SECONDS = /^\d+(?:\.\d+)?$/;
/** IMF-fixdate and RFC 850 forms (RFC 9110 §5.6.7); both name GMT. */
const HTTP_DATE = /^(?:[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT)$/;
/** The asctime form names no zone; HTTP means GMT, so the zone is added before parsing. */
const ASCTIME = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}:\d{2}:\d{2}) (\d{4})$/;

export function readRetryAfterMs(headers: unknown): number | null {
  if (typeof headers !== 'object' || headers === null) return null;
  try {
    return typeof (headers as { get?: unknown }).get === 'function'
      ? fromHeaders(headers as { get(name: string): unknown })
      : fromRecord(headers as Record<string, unknown>);
  } catch {
    return null;
  }
}

function fromHeaders(headers: { get(name: string): unknown }): number | null {
  const ms = parseMilliseconds(textOf(headers.get('retry-after-ms')));
  return ms !== null ? ms : parseRetryAfter(textOf(headers.get('retry-after')));
}

/** One pass over a plain record, matching names case-insensitively; only likely names are lower-cased. */
function fromRecord(headers: Record<string, unknown>): number | null {
  let ms: string | null = null;
  let seconds: string | null = null;
  for (const key in headers) {
    // Inherited keys (a polluted Object.prototype) are not headers.
    if ((key.length !== 11 && key.length !== 14) || !Object.hasOwn(headers, key)) continue;
    const name = key.toLowerCase();
    if (name === 'retry-after') seconds ??= textOf(headers[key]);
    else if (name === 'retry-after-ms') ms ??= textOf(headers[key]);
  }
  const hint = parseMilliseconds(ms);
  return hint !== null ? hint : parseRetryAfter(seconds);
}

/** A header value as text: strings, numbers, and the first of several values. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return null;
}

function parseMilliseconds(value: string | null): number | null {
  if (value === null || value.length > MAX_HINT_LENGTH) return null;
  const trimmed = value.trim();
  if (!DELAY_SECONDS.test(trimmed)) return null;
  const ms = Number(trimmed);
  return Number.isFinite(ms) ? ms : null;
}

function parseRetryAfter(value: string | null): number | null {
  if (value === null || value.length > MAX_HINT_LENGTH) return null;
  const trimmed = value.trim();
  if (DELAY_SECONDS.test(trimmed)) {
    const ms = Number(trimmed) * 1000;
    return Number.isFinite(ms) ? ms : null;
  }
  const asctime = ASCTIME.exec(trimmed);
  if (!asctime && !HTTP_DATE.test(trimmed)) return null;
  const at = Date.parse(asctime ? `${asctime[2]!.trim()} ${asctime[1]} ${asctime[4]} ${asctime[3]} GMT` : trimmed);
  if (!Number.isFinite(at)) return null;
  return Math.max(0, at - Date.now());
}
