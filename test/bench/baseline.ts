/**
 * A hand-written classifier for the benchmark: what a careful engineer would write for these four
 * providers without errspec. It does the same work as the generated `classifyResponse`: it parses a
 * text body (skipping what cannot be JSON), checks the documented envelope by hand, looks the code
 * up in a Map, falls back on the status, reads Retry-After and the request id from a `Headers`
 * object or a plain record, and builds the same result fields.
 */
import type { Category } from '../../generated/index.js';

interface Entry {
  category: Category;
  retryable: boolean;
  action: string;
  description: string;
  suggestion: string | null;
}

const e = (category: Category, retryable: boolean, action: string, description: string): Entry => ({ category, retryable, action, description, suggestion: null });

const codes: Record<string, Map<string, Entry>> = {
  evolink: new Map([
    ['invalid_request_error', e('invalid_request', false, 'fix_request', 'Request parameter is invalid or missing.')],
    ['authentication_error', e('authentication', false, 'fix_credentials', 'Invalid or expired API token.')],
    ['rate_limit_error', e('rate_limited', true, 'reduce_rate', 'Too many requests.')],
    ['internal_server_error', e('server_error', true, 'retry', 'Internal server error.')],
    ['service_unavailable_error', e('overloaded', true, 'retry_later', 'Service temporarily unavailable.')],
  ]),
  ltx: new Map([
    ['invalid_request_error', e('invalid_request', false, 'fix_request', 'Invalid request parameters.')],
    ['rate_limit_error', e('rate_limited', true, 'reduce_rate', 'Rate limit exceeded.')],
    ['concurrency_limit_error', e('concurrency_limited', true, 'reduce_concurrency', 'Concurrency limit exceeded.')],
    ['api_error', e('server_error', true, 'retry', 'Unexpected server error.')],
  ]),
  wubble: new Map([
    ['invalid_request', e('invalid_request', false, 'fix_request', 'Malformed input.')],
    ['INSUFFICIENT_CREDITS', e('insufficient_credits', false, 'add_credits', 'API call allowance exhausted.')],
    ['CONCURRENT_GENERATION_LIMIT', e('concurrency_limited', true, 'reduce_concurrency', 'Too many active jobs.')],
  ]),
  foxapi: new Map([
    ['invalid_request_error', e('invalid_request', false, 'fix_request', 'The request was malformed.')],
    ['rate_limit_error', e('rate_limited', true, 'reduce_rate', 'Too many requests.')],
    ['server_error', e('server_error', true, 'retry', 'An unexpected error occurred.')],
  ]),
};

const fallback = (status: number): Entry =>
  status === 408 || status === 504
    ? e('timeout', true, 'retry', 'Timeout.')
    : status === 429
      ? e('rate_limited', true, 'reduce_rate', 'Rate limited.')
      : status >= 500
        ? e('server_error', true, 'retry', 'Server error.')
        : e('invalid_request', false, 'fix_request', 'Client error.');

type HeaderInput = Record<string, string> | Headers | undefined;

/** The same headers the generated classifier reads, from either shape: retry hints and the request id. */
function readHeaders(headers: HeaderInput): { retryAfterMs: number | null; requestId: string | null } {
  let ms: string | null = null;
  let retryAfter: string | null = null;
  let requestId: string | null = null;
  if (headers instanceof Headers) {
    ms = headers.get('retry-after-ms');
    retryAfter = headers.get('retry-after');
    requestId = headers.get('x-request-id') ?? headers.get('request-id');
  } else if (headers) {
    for (const key in headers) {
      const name = key.toLowerCase();
      if (name === 'retry-after-ms') ms = headers[key] ?? null;
      else if (name === 'retry-after') retryAfter = headers[key] ?? null;
      else if (name === 'x-request-id' || name === 'request-id') requestId ??= headers[key] ?? null;
    }
  }
  const hint = ms === null ? null : Number(ms);
  return { retryAfterMs: hint !== null && Number.isFinite(hint) && hint >= 0 ? hint : retryAfterMs(retryAfter), requestId };
}

function retryAfterMs(value: string | null): number | null {
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

/** Text that could be JSON is parsed; anything else (an HTML page, nothing) is no body. */
function parse(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  const first = body.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

type Body = { error?: { type?: unknown; code?: unknown; message?: unknown; param?: unknown; fallback_suggestion?: unknown; details?: { param?: unknown } } };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalString = (v: unknown): boolean => v === undefined || typeof v === 'string';

/** The envelope checks `conforms` needs, written out by hand for each provider's schema. */
const envelopes: Record<string, (body: unknown) => boolean> = {
  evolink: (b) => {
    if (!isObject(b) || !isObject(b.error)) return false;
    const e = b.error;
    return Number.isInteger(e.code) && typeof e.message === 'string' && typeof e.type === 'string' && optionalString(e.param) && optionalString(e.fallback_suggestion);
  },
  ltx: (b) => isObject(b) && b.type === 'error' && isObject(b.error) && typeof b.error.type === 'string' && typeof b.error.message === 'string',
  wubble: (b) => {
    if (!isObject(b) || b.success !== false || (b.data !== undefined && b.data !== null) || !isObject(b.error)) return false;
    const e = b.error;
    const d = e.details;
    return typeof e.code === 'string' && typeof e.message === 'string' &&
      (d === undefined || (isObject(d) && optionalString(d.param) && optionalString(d.type))) &&
      (e.active_requests === undefined || Number.isInteger(e.active_requests)) &&
      (e.concurrency_limit === undefined || Number.isInteger(e.concurrency_limit));
  },
  foxapi: (b) => isObject(b) && isObject(b.error) && typeof b.error.message === 'string' && typeof b.error.type === 'string' && optionalString(b.error.code),
};

export function classifyByHand(provider: string, response: { status: number; headers?: HeaderInput; body?: unknown }) {
  const body = parse(response.body) as Body | undefined;
  const error = body && typeof body === 'object' ? body.error : undefined;
  const valid = envelopes[provider]?.(body) === true;
  const id = provider === 'wubble' ? error?.code : error?.type;
  const code = typeof id === 'string' ? id : null;
  const known = code !== null ? codes[provider]?.get(code) : undefined;
  const entry = known ?? fallback(response.status);
  const message = typeof error?.message === 'string' && error.message !== '' ? error.message : entry.description;
  const param = provider === 'wubble' ? error?.details?.param : error?.param;
  const suggestion = error?.fallback_suggestion;
  const { retryAfterMs, requestId } = readHeaders(response.headers);
  return {
    provider,
    source: 'http' as const,
    status: response.status,
    code,
    known: known !== undefined,
    conforms: valid,
    category: entry.category,
    retryable: entry.retryable,
    action: entry.action,
    message,
    param: typeof param === 'string' ? param : null,
    subtype: null,
    suggestion: typeof suggestion === 'string' ? suggestion : entry.suggestion,
    retryAfterMs,
    requestId,
  };
}
