/**
 * The waits a server states, in the formats providers write them, as milliseconds from now. Every
 * parser reads at most 64 characters (a longer value is none of these), never throws, and gives
 * null for anything garbled, negative or non-finite. An instant in the past is a wait of 0.
 */
import type { WaitFormat } from './types.js';

/** Longer values are not a wait in any of these formats; skip them without scanning. */
const MAX_WAIT_LENGTH = 64;
/** IMF-fixdate and RFC 850 forms (RFC 9110 §5.6.7); both name GMT. */
const HTTP_DATE = /^(?:[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT)$/;
/** The asctime form names no zone; HTTP means GMT, so the zone is added before parsing. */
const ASCTIME = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}:\d{2}:\d{2}) (\d{4})$/;
/** An RFC 3339 date-time, which Date.parse reads once its separators are the ISO ones. */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)([Zz]|[+-]\d{2}:\d{2})$/;
/** Go's duration units (`time.ParseDuration`), in milliseconds; protobuf's JSON Duration uses `s`. */
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ns: 1e-6 };
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|μs|ns)/y;

/** The wait a value states in `format`, in milliseconds, or null. */
export function parseWait(format: WaitFormat, value: unknown): number | null {
  const text = waitText(value);
  if (text === null) return null;
  switch (format) {
    case 'milliseconds':
      return decimal(text, 1);
    case 'seconds':
      return decimal(text, 1000);
    case 'http_retry_after':
      return decimal(text, 1000) ?? httpDate(text);
    case 'duration':
      return duration(text);
    case 'timestamp':
      return timestamp(text);
    case 'epoch_seconds': {
      const at = decimal(text, 1000);
      return at === null ? null : Math.max(0, at - Date.now());
    }
  }
}

/**
 * The wait a value states, picked out of its text by `pattern` first when there is one (the
 * first group, else the whole match): the one reading of every place a spec names.
 */
export function statedWaitIn(value: unknown, format: WaitFormat, pattern: RegExp | null): number | null {
  if (pattern === null) return parseWait(format, value);
  const text = typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null;
  const match = text === null ? null : pattern.exec(text);
  return match === null ? null : parseWait(format, match[1] ?? match[0]);
}

/** A value as trimmed text: a string, a finite number, or the first of a header's values. */
function waitText(value: unknown): string | null {
  const raw = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null;
  if (raw === null || raw.length > MAX_WAIT_LENGTH) return null;
  return trimmed(raw);
}

/**
 * `text.trim()`, without its cost when there is nothing to trim: a value that starts and ends with
 * a visible ASCII character (almost every header and code) is returned as it is.
 */
export function trimmed(text: string): string {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f ? text : text.trim();
}

/** Digits, then optionally a point and more digits (`12`, `1.5`), checked by hand: a regular expression costs several times more on the hot path. */
function isDecimal(text: string): boolean {
  let at = 0;
  while (at < text.length && isDigit(text.charCodeAt(at))) at++;
  if (at === 0) return false;
  if (at === text.length) return true;
  if (text.charCodeAt(at) !== 0x2e) return false;
  const point = ++at;
  while (at < text.length && isDigit(text.charCodeAt(at))) at++;
  return at === text.length && at > point;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function decimal(text: string, unitMs: number): number | null {
  if (!isDecimal(text)) return null;
  const ms = Number(text) * unitMs;
  return Number.isFinite(ms) ? ms : null;
}

function httpDate(text: string): number | null {
  const asctime = ASCTIME.exec(text);
  if (!asctime && !HTTP_DATE.test(text)) return null;
  return untilInstant(Date.parse(asctime ? `${asctime[2]!.trim()} ${asctime[1]} ${asctime[4]} ${asctime[3]} GMT` : text));
}

/** `6m0s`, `1.5s`, `644ms`, `2m59.56s`, `25.465784708s`, `0`: a sequence of numbers with units. */
function duration(text: string): number | null {
  if (text === '0') return 0;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    DURATION_PART.lastIndex = at;
    const part = DURATION_PART.exec(text);
    if (part === null) return null;
    total += Number(part[1]) * UNIT_MS[part[2]!]!;
    at = DURATION_PART.lastIndex;
  }
  return at === 0 || !Number.isFinite(total) ? null : total;
}

/** `2025-08-21T12:40:59Z`: the wait until then. */
function timestamp(text: string): number | null {
  const parts = RFC3339.exec(text);
  if (parts === null) return null;
  const zone = parts[3] === 'z' ? 'Z' : parts[3]!;
  // Date.parse would roll 2025-02-30 over into March.
  const [year, month, day] = parts[1]!.split('-').map(Number) as [number, number, number];
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
  return untilInstant(Date.parse(`${parts[1]}T${parts[2]}${zone}`));
}

function untilInstant(at: number): number | null {
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}
