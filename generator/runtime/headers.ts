/**
 * What response headers tell the classifier: the server's retry hint, and whatever else a
 * provider's table reads from them (its request id, a code). `retry-after-ms` (milliseconds) wins
 * over `Retry-After` (delay-seconds or an HTTP-date). Names match case-insensitively in every
 * shape of headers; anything garbled, negative or non-finite gives null. Which headers a provider
 * reads is its table's plan (HeaderPlan), made by the generator.
 */
import type { HeaderPlan, HeaderReading, HeaderValues } from './types.js';
import { parseWait, trimmed } from './waits.js';

export const NO_HEADERS: HeaderReading = { retryAfterMs: null, requestId: null };

const RETRY_AFTER_MS = 0;
const RETRY_AFTER = 1;

/** The plan of a provider that reads these headers besides the retry hints (the generator makes it, once). */
export function planHeaders(more: readonly string[]): HeaderPlan {
  const names = [...new Set(['retry-after-ms', 'retry-after', ...more.map((name) => name.toLowerCase())])];
  let lengths = 0;
  let firsts = 0;
  for (const name of names) {
    lengths |= 1 << Math.min(name.length, 31);
    firsts |= 1 << letterBit(name.charCodeAt(0));
  }
  return { names, lengths, firsts };
}


/** Iterable headers are read this far at most, so a hostile endless iterable cannot hang a call. */
const MAX_ENTRIES = 1000;

/** 0-25 for a letter of either case, 31 for anything else. */
function letterBit(code: number): number {
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x7a ? lower - 0x61 : 31;
}

/** Whether a name can be one of the plan's, judged without lower-casing it. */
function mayMatter(plan: HeaderPlan, name: string): boolean {
  return ((plan.lengths >>> Math.min(name.length, 31)) & 1) === 1 && ((plan.firsts >>> letterBit(name.charCodeAt(0))) & 1) === 1;
}

/**
 * A name's index in the plan (a handful of names: a scan beats a hash), or -1. Most headers come
 * lower-case already (Node's, fetch's): those are found without making a lower-case copy.
 */
function indexOf(plan: HeaderPlan, name: string): number {
  const { names } = plan;
  for (let i = 0; i < names.length; i++) if (names[i] === name) return i;
  const lower = name.toLowerCase();
  if (lower === name) return -1;
  for (let i = 0; i < names.length; i++) if (names[i] === lower) return i;
  return -1;
}

/** `retry-after-ms` → `Retry-After-Ms`: how a case-sensitive `get` may know a name. */
function canonical(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/**
 * A fetch `Headers` (undici's, a polyfill's, another realm's), whose `get` already ignores case.
 * Told by its tag rather than by `instanceof Headers`: in Node, reading the global `Headers` loads
 * the whole fetch implementation, which would cost every import of the package 40 ms.
 */
function isFetchHeaders(headers: object): headers is { get(name: string): unknown } {
  return (headers as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'Headers' && typeof (headers as { get?: unknown }).get === 'function';
}

/** The first value of each of the plan's headers that the response carries; null when it carries none. */
export function readHeaderValues(headers: unknown, plan: HeaderPlan): HeaderValues {
  if (typeof headers !== 'object' || headers === null) return null;
  try {
    // Kept small, so that the classifier can inline it: a plain record goes straight to its loop.
    return isPlainRecord(headers) ? fromRecord(plan, headers) : valuesFromOther(plan, headers);
  } catch {
    return null;
  }
}

/** A literal or IncomingMessage.headers: a record of names and values, with no `get` of its own. */
function isPlainRecord(headers: object): boolean {
  const proto = Object.getPrototypeOf(headers) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (headers as { get?: unknown }).get !== 'function';
}

/** The plan's values in headers of any other shape; its caller catches what a hostile object throws. */
function valuesFromOther(plan: HeaderPlan, headers: object): HeaderValues {
  if (isFetchHeaders(headers)) {
    // Its `get` ignores case, and costs less than iterating a fresh Headers.
    return fromGetter(plan, (i) => headers.get(plan.names[i]!));
  }
  if (typeof (headers as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') {
    // A Map, a foreign Headers class, or [name, value] pairs.
    let values: HeaderValues = null;
    let count = 0;
    for (const entry of headers as Iterable<unknown>) {
      if (++count > MAX_ENTRIES) break;
      if (Array.isArray(entry) && typeof entry[0] === 'string' && mayMatter(plan, entry[0])) values = collect(plan, values, entry[0], entry[1]);
    }
    return values;
  }
  if (typeof (headers as { get?: unknown }).get === 'function') {
    // An object with only `get`, whose case-sensitivity is unknown: ask in both usual spellings.
    const get = (name: string): unknown => (headers as { get(name: string): unknown }).get(name);
    return fromGetter(plan, (i) => {
      const value = get(plan.names[i]!);
      return value === null || value === undefined ? get(canonical(plan.names[i]!)) : value;
    });
  }
  // A record made some other way (an instance of a class): its own properties are the headers.
  return fromRecord(plan, headers);
}

function fromGetter(plan: HeaderPlan, get: (index: number) => unknown): HeaderValues {
  let values: HeaderValues = null;
  for (let i = 0; i < plan.names.length; i++) {
    const value = get(i);
    if (value !== null && value !== undefined) (values ??= new Array<unknown>(plan.names.length))[i] = value;
  }
  return values;
}

/**
 * Not Object.hasOwn: V8 knows that `hasOwnProperty.call(object, key)` inside `for (key in object)`
 * is true without a lookup, and it is the check a record's keys cost most (twice the loop without it).
 */
const hasOwnProperty = Object.prototype.hasOwnProperty;

/**
 * A record of headers (Node's IncomingMessage.headers, a literal): the common case. Most records
 * hold none of the plan's, so nothing is allocated until one turns up.
 */
function fromRecord(plan: HeaderPlan, headers: object): HeaderValues {
  let values: HeaderValues = null;
  const { lengths, firsts } = plan;
  for (const key in headers) {
    // The filter of mayMatter, inline: most keys of most records stop here. Inherited keys (a
    // polluted Object.prototype) are not headers.
    if (((lengths >>> Math.min(key.length, 31)) & 1) === 0 || ((firsts >>> letterBit(key.charCodeAt(0))) & 1) === 0) continue;
    if (hasOwnProperty.call(headers, key)) values = collect(plan, values, key, (headers as Record<string, unknown>)[key]);
  }
  return values;
}

/** Keeps the first value of a header of the plan. */
function collect(plan: HeaderPlan, values: HeaderValues, name: string, value: unknown): HeaderValues {
  const i = indexOf(plan, name);
  if (i === -1 || value === undefined) return values;
  const found = values ?? new Array<unknown>(plan.names.length);
  found[i] ??= value;
  return found;
}

/** The header at `index` of the plan as text (the first of several values), trimmed; null when absent or blank. */
export function headerText(values: HeaderValues, index: number): string | null {
  return values === null ? null : idOf(values[index]);
}

/** The raw values of the four headers that matter, as they are found. */
interface Found {
  retryAfterMs: unknown;
  retryAfter: unknown;
  xRequestId: unknown;
  requestId: unknown;
}

/** Whether a name can be one of the four, judged by its length and first letter without lower-casing it. */
function mayBeUsual(name: string): boolean {
  const length = name.length;
  if (length < 10 || length > 14 || length === 13) return false;
  const first = name.charCodeAt(0) | 0x20;
  return first === 0x72 || first === 0x78; // r, x
}

/** Keeps the first value of a header that matters (a name that passed mayMatter). */
function collectUsual(found: Found, name: string, value: unknown): void {
  // Most records hold the four in lower case already: those are found without a lower-case copy,
  // which costs more than the rest of the lookup.
  if (!keepUsual(found, name, value)) keepUsual(found, name.toLowerCase(), value);
}

/** Whether `name` is one of the four as written (lower case); if so, its value is kept. */
function keepUsual(found: Found, name: string, value: unknown): boolean {
  switch (name) {
    case 'retry-after-ms':
      found.retryAfterMs ??= value;
      return true;
    case 'retry-after':
      found.retryAfter ??= value;
      return true;
    case 'x-request-id':
      found.xRequestId ??= value;
      return true;
    case 'request-id':
      found.requestId ??= value;
      return true;
    default:
      return false;
  }
}

/**
 * The usual headers (the retry hints and the request id in `x-request-id` or `request-id`): what
 * most providers send, read by a reader tuned for exactly these four names, so that a provider
 * declaring nothing more pays nothing for the general one below.
 */
export function readUsualHeaders(headers: unknown): HeaderReading {
  if (typeof headers !== 'object' || headers === null) return NO_HEADERS;
  try {
    // Kept small, as readHeaderValues is.
    return isPlainRecord(headers) ? usualFromRecord(headers) : usualFromOther(headers);
  } catch {
    return NO_HEADERS;
  }
}

/** The usual headers in headers of any other shape; its caller catches what a hostile object throws. */
function usualFromOther(headers: object): HeaderReading {
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
      if (Array.isArray(entry) && typeof entry[0] === 'string' && mayBeUsual(entry[0])) collectUsual(found, entry[0], entry[1]);
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
    return usualFromRecord(headers);
  }
  return usualReading(found);
}

/**
 * A record of headers (Node's IncomingMessage.headers, a literal): the common case. Most records
 * hold none of the four, so nothing is allocated until one turns up.
 */
function usualFromRecord(headers: object): HeaderReading {
  let found: Found | undefined;
  for (const key in headers) {
    // Inherited keys (a polluted Object.prototype) are not headers.
    if (mayBeUsual(key) && hasOwnProperty.call(headers, key)) collectUsual((found ??= nothingFound()), key, (headers as Record<string, unknown>)[key]);
  }
  return found === undefined ? NO_HEADERS : usualReading(found);
}

function nothingFound(): Found {
  return { retryAfterMs: undefined, retryAfter: undefined, xRequestId: undefined, requestId: undefined };
}

function usualReading(found: Found): HeaderReading {
  const retryAfterMs = parseWait('milliseconds', found.retryAfterMs) ?? parseWait('http_retry_after', found.retryAfter);
  const requestId = idOf(found.xRequestId) ?? idOf(found.requestId);
  return retryAfterMs === null && requestId === null ? NO_HEADERS : { retryAfterMs, requestId };
}

/** The retry hint among the values read. */
export function retryAfterOf(values: NonNullable<HeaderValues>): number | null {
  return parseWait('milliseconds', values[RETRY_AFTER_MS]) ?? parseWait('http_retry_after', values[RETRY_AFTER]);
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return null;
}

/** A value as trimmed text (an id, a code), or null for none or a blank one. */
export function idOf(value: unknown): string | null {
  const text = textOf(value);
  if (text === null) return null;
  const id = trimmed(text);
  return id === '' ? null : id;
}
