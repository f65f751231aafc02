/**
 * A hand-written classifier for the benchmark: what a careful engineer would write for these four
 * providers without errspec. It does the same work as the generated `classifyResponse` on a parsed
 * body: envelope shape checks, one map lookup, the status fallback, reading Retry-After, and
 * building the same result fields.
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

function retryAfter(headers: Record<string, string> | undefined): number | null {
  if (!headers) return null;
  for (const key in headers) {
    if (key.toLowerCase() === 'retry-after') {
      const n = Number(headers[key]);
      return Number.isFinite(n) && n >= 0 ? n * 1000 : null;
    }
  }
  return null;
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

export function classifyByHand(provider: string, response: { status: number; headers?: Record<string, string>; body?: unknown }) {
  const body = response.body as Body | undefined;
  const error = body && typeof body === 'object' ? body.error : undefined;
  const valid = envelopes[provider]?.(body) === true;
  const id = provider === 'wubble' ? error?.code : error?.type;
  const code = typeof id === 'string' ? id : null;
  const entry = (code !== null ? codes[provider]?.get(code) : undefined) ?? fallback(response.status);
  const message = typeof error?.message === 'string' && error.message !== '' ? error.message : entry.description;
  const param = provider === 'wubble' ? error?.details?.param : error?.param;
  const suggestion = error?.fallback_suggestion;
  return {
    provider,
    source: 'http' as const,
    status: response.status,
    code,
    known: code !== null && codes[provider]?.has(code) === true,
    conforms: valid,
    category: entry.category,
    retryable: entry.retryable,
    action: entry.action,
    message,
    param: typeof param === 'string' ? param : null,
    subtype: null,
    suggestion: typeof suggestion === 'string' ? suggestion : entry.suggestion,
    retryAfterMs: retryAfter(response.headers),
  };
}
