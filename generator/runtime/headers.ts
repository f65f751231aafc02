/**
 * What response headers tell the classifier: the server's retry hint and the provider's request
 * id. `retry-after-ms` (milliseconds) wins over `Retry-After` (delay-seconds or an HTTP-date);
 * `x-request-id` over `request-id`. Names match case-insensitively in every shape of headers;
 * anything garbled, negative or non-finite gives null.
 */
export interface HeaderReading {
  readonly retryAfterMs: number | null;
  readonly requestId: string | null;
}

export const NO_HEADERS: HeaderReading = { retryAfterMs: null, requestId: null };

/** Longer values are not a number of seconds nor a date; skip them without scanning. */
const MAX_HINT_LENGTH = 64;
/** Iterable headers are read this far at most, so a hostile endless iterable cannot hang a call. */
const MAX_ENTRIES = 1000;
const DELAY_SECONDS = /^\d+(?:\.\d+)?$/;
/** IMF-fixdate and RFC 850 forms (RFC 9110 §5.6.7); both name GMT. */
const HTTP_DATE = /^(?:[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT)$/;
/** The asctime form names no zone; HTTP means GMT, so the zone is added before parsing. */
const ASCTIME = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}:\d{2}:\d{2}) (\d{4})$/;

/**
 * A fetch `Headers` (undici's, a polyfill's, another realm's), whose `get` already ignores case.
 * Told by its tag rather than by `instanceof Headers`: in Node, reading the global `Headers` loads
 * the whole fetch implementation, which would cost every import of the package 40 ms.
 */
function isFetchHeaders(headers: object): headers is { get(name: string): unknown } {
  return (headers as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'Headers' && typeof (headers as { get?: unknown }).get === 'function';
}

/** The raw values of the four headers that matter, as they are found. */
interface Found {
  retryAfterMs: unknown;
  retryAfter: unknown;
  xRequestId: unknown;
  requestId: unknown;
}

/** Whether a name can be one of the four, judged by its length and first letter without lower-casing it. */
function mayMatter(name: string): boolean {
  const length = name.length;
  if (length < 10 || length > 14 || length === 13) return false;
  const first = name.charCodeAt(0) | 0x20;
  return first === 0x72 || first === 0x78; // r, x
}

/** Keeps the first value of a header that matters (a name that passed mayMatter). */
function collect(found: Found, name: string, value: unknown): void {
  switch (name.toLowerCase()) {
    case 'retry-after-ms':
      found.retryAfterMs ??= value;
      break;
    case 'retry-after':
      found.retryAfter ??= value;
      break;
    case 'x-request-id':
      found.xRequestId ??= value;
      break;
    case 'request-id':
      found.requestId ??= value;
      break;
  }
}

export function readHeaders(headers: unknown): HeaderReading {
  if (typeof headers !== 'object' || headers === null) return NO_HEADERS;
  try {
    const proto = Object.getPrototypeOf(headers) as unknown;
    const plain = proto === Object.prototype || proto === null;
    if (plain && typeof (headers as { get?: unknown }).get !== 'function') return fromRecord(headers);
    const found = nothingFound();
    if (isFetchHeaders(headers)) {
      // Its `get` ignores case, and costs less than iterating a fresh Headers.
      found.retryAfterMs = headers.get('retry-after-ms');
      found.retryAfter = headers.get('retry-after');
      found.xRequestId = headers.get('x-request-id');
      found.requestId = headers.get('request-id');
    } else if (typeof (headers as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') {
      // A Map, a foreign Headers class, or [name, value] pairs.
      let count = 0;
      for (const entry of headers as Iterable<unknown>) {
        if (++count > MAX_ENTRIES) break;
        if (Array.isArray(entry) && typeof entry[0] === 'string' && mayMatter(entry[0])) collect(found, entry[0], entry[1]);
      }
    } else if (typeof (headers as { get?: unknown }).get === 'function') {
      // An object with only `get`, whose case-sensitivity is unknown: ask in both usual spellings.
      const get = (name: string, canonical: string): unknown => {
        const value = (headers as { get(name: string): unknown }).get(name);
        return value === null || value === undefined ? (headers as { get(name: string): unknown }).get(canonical) : value;
      };
      found.retryAfterMs = get('retry-after-ms', 'Retry-After-Ms');
      found.retryAfter = get('retry-after', 'Retry-After');
      found.xRequestId = get('x-request-id', 'X-Request-Id');
      found.requestId = get('request-id', 'Request-Id');
    } else {
      // A record made some other way (an instance of a class): its own properties are the headers.
      return fromRecord(headers);
    }
    return reading(found);
  } catch {
    return NO_HEADERS;
  }
}

/**
 * A record of headers (Node's IncomingMessage.headers, a literal): the common case. Most records
 * hold none of the four, so nothing is allocated until one turns up.
 */
function fromRecord(headers: object): HeaderReading {
  let found: Found | undefined;
  for (const key in headers) {
    // Inherited keys (a polluted Object.prototype) are not headers.
    if (mayMatter(key) && Object.hasOwn(headers, key)) collect((found ??= nothingFound()), key, (headers as Record<string, unknown>)[key]);
  }
  return found === undefined ? NO_HEADERS : reading(found);
}

function nothingFound(): Found {
  return { retryAfterMs: undefined, retryAfter: undefined, xRequestId: undefined, requestId: undefined };
}

function reading(found: Found): HeaderReading {
  const ms = parseMilliseconds(textOf(found.retryAfterMs));
  const retryAfterMs = ms !== null ? ms : parseRetryAfter(textOf(found.retryAfter));
  const requestId = idOf(found.xRequestId) ?? idOf(found.requestId);
  return retryAfterMs === null && requestId === null ? NO_HEADERS : { retryAfterMs, requestId };
}

/** A header value as text: strings, numbers, and the first of several values. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return null;
}

function idOf(value: unknown): string | null {
  const text = textOf(value);
  if (text === null) return null;
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
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
