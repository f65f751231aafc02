/**
 * Sending one request under the spec's rules: retried only when its failure is retryable, after
 * retryDelayMs (a wait past the spec's ceiling or the caller's maxDelayMs ends the call instead),
 * and, for a request that is not idempotent, only when resending cannot bill twice.
 * fetchWithRetry is this loop with a call of its own; the poller and runTask send through it too.
 */
import { readBody } from '../runtime/fetch-body.js';
import { classifyRead } from '../runtime/classify.js';
import { cancelledError, classifyException, decidedError } from '../runtime/exception.js';
import { declaredOutcome, retryPlan } from '../runtime/retry.js';
import { categoryOutcome } from '../runtime/outcome.js';
import { ProviderError, type GiveUp } from '../runtime/provider-error.js';
import type { ClassifiedErrorOf, ProviderTable, Vocabulary } from '../runtime/types.js';
import { Limits, StoreFailure } from './limiter.js';
import { randomId } from './random-id.js';
import { CallScope } from './scope.js';
import { retrySettings, tableOf, type RetrySettings } from './settings.js';
import type { ExecutorContext, Sleep } from './types.js';

/** Methods whose repetition has the effect of one request (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** What a call has sent and waited so far, summed over its requests (status requests and submits included). */
export interface Tally {
  attempts: number;
  totalDelayMs: number;
  taskId: string | null;
}

/** An ok response, with its body read as text when the caller asked for it (null otherwise). */
export interface Sent {
  readonly response: Response;
  readonly text: string | null;
}

export async function fetchWithRetry<V extends Vocabulary>(
  context: ExecutorContext<V>,
  provider: unknown,
  input: string | URL | Request,
  init?: RequestInit,
  options?: unknown,
): Promise<Response> {
  const table = tableOf(context, provider);
  const settings = retrySettings<V>(options, table);
  const outgoing = new Outgoing(table.idempotencyHeader, input, init, settings.idempotencyKey, table.requestHeaders);
  const scope = new CallScope([settings.signal, outgoing.signal], settings.deadlineMs);
  try {
    return (await send(context, table, scope, outgoing, settings, { attempts: 0, totalDelayMs: 0, taskId: null }, { readText: false, holding: null })).response;
  } finally {
    scope.dispose();
  }
}

/**
 * The request as each attempt sends it: a Request input is cloned every time, so its body can be
 * sent again; the idempotency key, when there is one, is the same on every attempt. Its own
 * signal (the Request's, or init's) is the caller's too: the call links it into its own.
 */
export class Outgoing {
  readonly method: string;
  /** Sending it twice has the effect of sending it once. */
  readonly idempotent: boolean;
  /** It carries the provider's declared idempotency header. */
  readonly keyed: boolean;
  /** Its body can be sent again; a stream cannot. */
  readonly repeatable: boolean;
  /** The signal the request came with. */
  readonly signal: AbortSignal | undefined;
  private readonly input: string | URL | Request;
  private readonly init: RequestInit | undefined;
  private readonly headers: Headers | undefined;

  /**
   * `header`: the provider's declared idempotency header; `key`: the call's key, false for none,
   * undefined for a fresh one; `always`: headers the provider requires on every request, which a
   * header of the caller's own request overrides.
   */
  constructor(header: string | null, input: string | URL | Request, init: RequestInit | undefined, key: string | false | undefined, always: readonly (readonly [string, string])[] = []) {
    const request = isRequest(input) ? input : null;
    checkUrl(request ? request.url : input);
    if (request?.bodyUsed) throw new TypeError('the Request body has already been used; pass a fresh Request');
    this.input = input;
    this.init = init;
    this.signal = init?.signal ?? request?.signal ?? undefined;
    this.method = String(init?.method ?? request?.method ?? 'GET').toUpperCase();
    this.idempotent = IDEMPOTENT_METHODS.has(this.method);
    this.repeatable = !isStream(init?.body);
    const keyed = header !== null && !this.idempotent && key !== false;
    if (keyed || always.length > 0) {
      const headers = new Headers(init?.headers ?? request?.headers);
      for (const [name, value] of always) if (!headers.has(name)) headers.set(name, value);
      // An empty key recognises nothing: it is replaced, like a missing one.
      if (keyed && (headers.get(header) ?? '').trim() === '') headers.set(header, key ?? randomId());
      this.headers = headers;
    }
    this.keyed = keyed;
  }

  /**
   * A GET of `url` (resolved against this request's URL), for a task's result: with this request's
   * headers, its credentials, only on the same origin; a result elsewhere is fetched without them.
   */
  fetching(url: string): Outgoing {
    const request = isRequest(this.input) ? this.input : null;
    const base = new URL(request ? request.url : String(this.input));
    const target = new URL(url, base);
    const headers = target.origin === base.origin ? new Headers(this.headers ?? this.init?.headers ?? request?.headers) : undefined;
    return new Outgoing(null, target, { method: 'GET', ...(headers ? { headers } : {}) }, undefined);
  }

  /** fetch's arguments for one attempt. */
  next(signal: AbortSignal | undefined): [string | URL | Request, RequestInit | undefined] {
    const input = isRequest(this.input) ? this.input.clone() : this.input;
    if (signal === undefined && this.headers === undefined) return [input, this.init];
    const init: RequestInit = Object.assign({}, this.init);
    if (this.headers) init.headers = this.headers;
    if (signal) init.signal = signal;
    return [input, init];
  }
}

/** What send needs of a call that holds a limiter's permit for its submits: runTask's Holding. */
export interface PermitHolder {
  /** Takes or confirms the permit before a submit; rejects with the call's ProviderError. */
  beforeSubmit(): Promise<void>;
  /** Gives the permit back for a wait; the next submit queues for it again. */
  requeue(delayMs: number, sleep: Sleep | null): Promise<void>;
  /** A concurrency error while holding the permit. */
  congested(): Promise<void>;
}

/**
 * Sends until a response is ok, or rejects with a ProviderError saying why it stopped. With
 * `readText`, an ok response's body is read within the same attempt, so that its timeout, the
 * call's signal and the retry rules cover it too. `holding`: the call holds one of its limiter's
 * permits for a request that starts work at the provider, confirmed before every attempt. A
 * concurrency error then means someone else shares the account, and lowers the limit; and whenever
 * the failure proves nothing started, the call gives its permit back for the wait.
 * Usage errors were raised before; everything here is a ProviderError.
 */
export async function send<V extends Vocabulary>(
  context: ExecutorContext<V>,
  table: ProviderTable<V>,
  scope: CallScope,
  outgoing: Outgoing,
  settings: RetrySettings<V>,
  tally: Tally,
  { readText, holding }: { readText: boolean; holding: PermitHolder | null },
): Promise<Sent> {
  const fail = (error: ClassifiedErrorOf<V>, giveUp: GiveUp, extra: { body?: string | null; cause?: unknown } = {}): ProviderError<V> =>
    new ProviderError(error, { attempts: tally.attempts, totalDelayMs: tally.totalDelayMs, giveUp, taskId: tally.taskId, ...extra });
  const stopped = (last: ClassifiedErrorOf<V> | null): ProviderError<V> =>
    scope.stoppedBy === 'caller'
      ? fail(cancelledError(context.taxonomy, table.id), 'cancelled', { cause: scope.callerReason })
      : fail(last ?? deadlineError(context, table), 'deadline');
  const limits = settings.limiter === null ? null : new Limits(settings.limiter, table.id);
  /** What the last retry took from the retry budget: a success returns it. */
  let lastCost = 0;

  for (let sent = 0; ; ) {
    if (scope.stoppedBy !== null) throw stopped(null);
    if (holding) await holding.beforeSubmit();
    const attempt = scope.attempt(settings.attemptTimeoutMs);
    let error: ClassifiedErrorOf<V>;
    let body: string | null = null;
    let cause: unknown;
    // A redirected request reached somewhere: whatever the last hop says proves nothing of the first.
    let redirected = false;
    try {
      sent++;
      tally.attempts++;
      // A transport that ignores the signal still loses the race against a stop.
      const response = await scope.race(settings.fetch(...outgoing.next(attempt.signal)));
      redirected = response.redirected === true;
      if (response.ok) {
        const text = readText ? await scope.race(response.text()) : null;
        limits?.refund(lastCost);
        return { response, text };
      }
      // Read (at most 1 MiB) or cancelled: a failed response holds nothing open.
      const read = await readBody(response, { signal: attempt.signal });
      error = classifyRead(context.taxonomy, table, response, read);
      if (typeof read.body === 'string') body = read.body;
    } catch (thrown) {
      if (scope.stoppedBy !== null) throw stopped(scope.stoppedBy === 'deadline' ? deadlineError(context, table) : null);
      error = classifyException(context.taxonomy, context.network, attempt.timedOut() ? new DOMException('The request timed out.', 'TimeoutError') : thrown, table.id);
      cause = thrown;
    } finally {
      attempt.done();
    }
    if (scope.stoppedBy !== null) throw stopped(error);
    const congested = holding !== null && error.category === CONCURRENCY_LIMITED;
    if (congested) await holding.congested();
    if (scope.stoppedBy !== null) throw stopped(error);

    if (!error.retryable) throw fail(error, 'not_retryable', { body, cause });
    const unprocessed = !redirected && provesUnprocessed(context, table, error);
    if (!outgoing.idempotent && !outgoing.keyed && !settings.retryUnsafe && !unprocessed) {
      // The request may have been processed; sending it again could bill twice.
      throw fail(error, 'not_idempotent', { body, cause });
    }
    if (!outgoing.repeatable || sent >= settings.maxAttempts) throw fail(error, 'max_attempts', { body, cause });
    const delay = retryPlan(context.taxonomy, context.tables, error, sent, { random: settings.random });
    if (typeof delay !== 'number') throw fail(error, delay, { body, cause });
    if (delay > settings.maxDelayMs) throw fail(error, 'max_delay', { body, cause });
    if (scope.overruns(delay)) throw fail(error, 'deadline', { body, cause });
    // A concurrency error while holding a permit says the limiter's count is off (a store that
    // lost its state, a worker that died mid-generation, another user of the account): the
    // permit queue paces its retry, and the budget that protects the provider is not spent on it.
    if (limits && !congested) {
      const spent = await spendBudget(scope, limits, error);
      if (spent === 'stopped') throw stopped(error);
      if (spent === 'empty') throw fail(error, 'budget', { body, cause });
      if (spent instanceof StoreFailure) throw fail(storeError(context, table, spent), 'limiter', { cause: spent.cause });
      lastCost = spent;
    }
    notify(settings.onRetry, { attempt: sent, delayMs: delay, error });
    // Nothing of this request runs at the provider while it waits to be resent: no permit either.
    const giveBack = holding !== null && (congested || unprocessed);
    try {
      await (giveBack ? holding.requeue(delay, settings.sleep) : scope.wait(delay, settings.sleep));
    } catch (thrown) {
      // A stop ends the wait; so does a caller's sleep that rejects, which counts as the caller's cancellation.
      if (scope.stoppedBy !== null) throw stopped(error);
      throw fail(cancelledError(context.taxonomy, table.id), 'cancelled', { cause: thrown });
    }
    tally.totalDelayMs += delay;
  }
}

/**
 * Takes the tokens of one retry from the limiter's budget: what it took, or why it could not (the
 * call stopped, the budget is empty, the store failed). Apart from send, which every call runs.
 */
async function spendBudget<V extends Vocabulary>(scope: CallScope, limits: Limits, error: ClassifiedErrorOf<V>): Promise<number | 'stopped' | 'empty' | StoreFailure> {
  try {
    // A stop ends this at once, however slow the store is to answer.
    return (await limits.takeRetry(scope, error.category === TIMEOUT || error.source === 'network')) ?? 'empty';
  } catch (thrown) {
    if (scope.stoppedBy !== null) return 'stopped';
    if (thrown instanceof StoreFailure) return thrown;
    throw thrown;
  }
}

/**
 * Whether a failure proves the request was not processed: a declared code or status says so, or
 * its category does (a rate or concurrency limit, an overload), or, for a network error, no
 * connection was ever made.
 */
export function provesUnprocessed<V extends Vocabulary>(context: ExecutorContext<V>, table: ProviderTable<V>, error: ClassifiedErrorOf<V>): boolean {
  if (error.source === 'network') return error.code !== null && context.network.unprocessed.has(error.code);
  return (declaredOutcome(table, error) ?? categoryOutcome(context.taxonomy, error.category)).unprocessed;
}

/** Categories of the canonical taxonomy that the executor acts on (contract, section 4). */
const CONCURRENCY_LIMITED = 'concurrency_limited';
const NETWORK = 'network';
const TIMEOUT = 'timeout';

/** The limiter's store failed, so nothing more was sent: a network failure of the call's own. */
export function storeError<V extends Vocabulary>(context: ExecutorContext<V>, table: ProviderTable<V>, failure: StoreFailure): ClassifiedErrorOf<V> {
  return decidedError(context.taxonomy, table.id, 'network', NETWORK, `${failure.message}; nothing more was sent.`, true);
}

export function totals(tally: Tally): { attempts: number; totalDelayMs: number; taskId: string | null } {
  return { attempts: tally.attempts, totalDelayMs: tally.totalDelayMs, taskId: tally.taskId };
}

/** The caller stopped the call: its abort, or its own sleep rejecting. */
export function stoppedByCaller<V extends Vocabulary>(context: ExecutorContext<V>, table: ProviderTable<V>, tally: Tally, cause: unknown): ProviderError<V> {
  return new ProviderError(cancelledError(context.taxonomy, table.id), { ...totals(tally), giveUp: 'cancelled', cause });
}

/** The classification of a call that ran out of time with no failure of its own to report. */
export function deadlineError<V extends Vocabulary>(context: ExecutorContext<V>, table: ProviderTable<V>): ClassifiedErrorOf<V> {
  return classifyException(context.taxonomy, context.network, new DOMException('The call ran past its deadline.', 'TimeoutError'), table.id);
}

/** Calls a caller's callback; what it throws is its own business, not the call's. */
export function notify<T>(callback: ((value: T) => void) | null, value: T): void {
  if (callback === null) return;
  try {
    callback(value);
  } catch {
    // A throwing onRetry or onProgress must not change what the call does.
  }
}

export function isRequest(input: unknown): input is Request {
  return typeof input === 'object' && input !== null && typeof (input as Request).clone === 'function' && typeof (input as Request).method === 'string';
}

/** An http(s) URL, or a usage error: nothing else can be sent, nor retried. */
function checkUrl(input: unknown): void {
  if (typeof input !== 'string' && !(typeof input === 'object' && input !== null)) {
    throw new TypeError('the request must be a URL string, a URL or a Request');
  }
  const text = String(input);
  // The common case, told without building a URL: it names http(s) and it parses.
  if (HTTP_SCHEME.test(text) && typeof URL.canParse === 'function' && URL.canParse(text)) return;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`not an absolute URL: ${JSON.stringify(text).slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`only http and https URLs can be sent, not ${url.protocol}`);
}

/** An http(s) scheme, after the spaces and controls that URL parsing strips from the front. */
const HTTP_SCHEME = /^[\0- ]*https?:/i;

/** A body that can be read once only: a web stream, a Node stream, an async iterable. */
function isStream(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as { getReader?: unknown; pipe?: unknown; [Symbol.asyncIterator]?: unknown };
  return typeof b.getReader === 'function' || typeof b.pipe === 'function' || typeof b[Symbol.asyncIterator] === 'function';
}
