/**
 * ProviderError: how every executor call rejects (but for a usage error, a TypeError). It is a
 * ClassifiedError of the last failure, plus how the call went. Recognised across realms and
 * duplicate copies of the package by a registered symbol, not by `instanceof`. It lives with the
 * classifiers, so that catching it needs no part of the executor loaded.
 */
import type { ClassifiedErrorOf, Vocabulary } from './types.js';

/** Why a call gave up; `budget` and `limiter` come from a shared limiter (createLimiter). */
export type GiveUp = 'not_retryable' | 'max_attempts' | 'deadline' | 'not_idempotent' | 'cancelled' | 'task_failed' | 'budget' | 'limiter' | 'max_delay';

const BRAND: unique symbol = /* @__PURE__ */ Symbol.for('errspec.ProviderError') as never;
/** The classification's own message, before the words on why the call stopped. */
const CLASSIFIED_MESSAGE: unique symbol = /* @__PURE__ */ Symbol.for('errspec.ProviderError.classifiedMessage') as never;

/** A structured log line carries at most this many bytes (UTF-8) of a failed body or message. */
const MAX_LOGGED_BYTES = 2048;

export interface ProviderErrorDetails {
  readonly attempts: number;
  readonly totalDelayMs: number;
  readonly giveUp: GiveUp;
  readonly taskId: string | null;
  /** The failed response's or task's body, when one was read. */
  readonly body?: string | null;
  /** The thrown exception, or the abort reason. */
  readonly cause?: unknown;
}

export class ProviderError<V extends Vocabulary = Vocabulary> extends Error implements ClassifiedErrorOf<V> {
  override readonly name: 'ProviderError' = 'ProviderError';
  readonly provider: V['provider'] | null;
  readonly source: 'http' | 'task' | 'network';
  readonly status: number | null;
  readonly code: string | null;
  readonly known: boolean;
  readonly conforms: boolean;
  readonly category: V['category'];
  readonly retryable: boolean;
  readonly action: V['action'];
  readonly param: string | null;
  readonly subtype: string | null;
  readonly suggestion: string | null;
  readonly retryAfterMs: number | null;
  readonly requestId: string | null;
  /** Requests sent: submits and status requests, for the poller. */
  readonly attempts: number;
  /** Time spent waiting between them, in ms. */
  readonly totalDelayMs: number;
  readonly giveUp: GiveUp;
  /** The provider's task id, when known. */
  readonly taskId: string | null;
  /** The last failed body, at most 2 KiB of it; never a request's headers, which carry the API key. */
  readonly body: string | null;

  constructor(error: ClassifiedErrorOf<V>, details: ProviderErrorDetails) {
    // From another ProviderError (the same failure, given up for another reason): its classification's words only.
    const message = classifiedMessage(error);
    super(`${message} (${stopped(details)})`, details.cause === undefined ? undefined : { cause: details.cause });
    // The brand on each error rather than the prototype: a statement outside the class would keep it in every bundle.
    Object.defineProperty(this, BRAND, { value: true });
    Object.defineProperty(this, CLASSIFIED_MESSAGE, { value: message });
    this.provider = error.provider;
    this.source = error.source;
    this.status = error.status;
    this.code = error.code;
    this.known = error.known;
    this.conforms = error.conforms;
    this.category = error.category;
    this.retryable = error.retryable;
    this.action = error.action;
    this.param = error.param;
    this.subtype = error.subtype;
    this.suggestion = error.suggestion;
    this.retryAfterMs = error.retryAfterMs;
    this.requestId = error.requestId;
    this.attempts = details.attempts;
    this.totalDelayMs = details.totalDelayMs;
    this.giveUp = details.giveUp;
    this.taskId = details.taskId;
    this.body = typeof details.body === 'string' ? cut(details.body) : null;
  }

  /** For structured logs: every field, the cause as name, code and message. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      // The message is often the provider's own text: as much of it as of the body.
      message: cut(this.message),
      provider: this.provider,
      source: this.source,
      status: this.status,
      code: this.code,
      known: this.known,
      conforms: this.conforms,
      category: this.category,
      retryable: this.retryable,
      action: this.action,
      param: this.param,
      subtype: this.subtype,
      suggestion: this.suggestion,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      attempts: this.attempts,
      totalDelayMs: this.totalDelayMs,
      giveUp: this.giveUp,
      taskId: this.taskId,
      body: this.body,
      cause: describeCause(this.cause),
    };
  }
}

/** A classification's message; for a ProviderError, without the words on why its call stopped. */
function classifiedMessage(error: ClassifiedErrorOf<Vocabulary>): string {
  const own = (error as { [CLASSIFIED_MESSAGE]?: unknown })[CLASSIFIED_MESSAGE];
  return typeof own === 'string' ? own : error.message;
}

/** The failure a ProviderError carries, as a plain ClassifiedError: what onRetry reports while the call goes on. */
export function classificationOf<V extends Vocabulary>(error: ProviderError<V>): ClassifiedErrorOf<V> {
  const { provider, source, status, code, known, conforms, category, retryable, action, param, subtype, suggestion, retryAfterMs, requestId } = error;
  return { provider, source, status, code, known, conforms, category, retryable, action, message: classifiedMessage(error), param, subtype, suggestion, retryAfterMs, requestId };
}

/** Why a call stopped, in words: how a log line of `String(error)` says it. */
const GAVE_UP: Record<GiveUp, string> = {
  not_retryable: 'not retryable',
  max_attempts: 'attempts used up',
  deadline: 'out of time',
  not_idempotent: 'not resent: it may have been processed, and a resend could bill twice',
  cancelled: 'cancelled by the caller',
  task_failed: 'the task failed',
  budget: 'retry budget spent',
  limiter: "the limiter's store failed",
  max_delay: "the wait needed is longer than maxDelayMs or the spec's ceiling on stated waits",
};

/** `gave up: retry budget spent after 5 requests`. */
function stopped({ giveUp, attempts }: ProviderErrorDetails): string {
  const sent = attempts === 0 ? 'before any request' : `after ${attempts} request${attempts === 1 ? '' : 's'}`;
  return `gave up: ${GAVE_UP[giveUp] ?? giveUp} ${sent}`;
}

/** Whether a value is a ProviderError, from any copy of the package or any realm. Never throws. */
export function isProviderError(value: unknown): value is ProviderError {
  try {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  } catch {
    return false;
  }
}

function describeCause(cause: unknown): { name: string | null; code: string | null; message: string | null } | string | null {
  if (cause === undefined || cause === null) return null;
  if (typeof cause !== 'object') return cut(String(cause));
  const text = (key: string): string | null => {
    try {
      const value = (cause as Record<string, unknown>)[key];
      return typeof value === 'string' ? cut(value) : null;
    } catch {
      return null;
    }
  };
  return { name: text('name'), code: text('code'), message: text('message') };
}

/** At most MAX_LOGGED_BYTES of UTF-8, cut at a character boundary. */
function cut(text: string): string {
  // Each UTF-16 unit is at most 3 bytes of UTF-8: shorter text needs no encoding.
  if (text.length * 3 <= MAX_LOGGED_BYTES) return text;
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= MAX_LOGGED_BYTES) return text;
  return new TextDecoder().decode(bytes.subarray(0, MAX_LOGGED_BYTES)).replace(/\uFFFD$/, '');
}
