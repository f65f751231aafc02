/**
 * The time and cancellation of one call: the caller's signals, its deadline, the timeout of each
 * request and every wait. Nothing outlives the call: `dispose` clears the deadline's timer and
 * every listener, each attempt clears its own timer, and waits remove their listeners as they end.
 * A call with no signal, deadline or timeout makes no controller and no timer at all.
 */
import type { Sleep } from './types.js';

/** setTimeout's limit; a longer wait runs as several timers. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Why a call stopped early: the caller aborted, or the deadline passed. */
export type Stop = 'caller' | 'deadline';

/** The default sleep: a timer that an abort ends at once, leaving nothing behind. */
export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    let left = Math.max(0, ms);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const step = (): void => {
      if (left <= 0) {
        signal.removeEventListener('abort', onAbort);
        resolve();
        return;
      }
      const chunk = Math.min(left, MAX_TIMER_MS);
      left -= chunk;
      timer = setTimeout(step, chunk);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    step();
  });

/** performance.now() where there is one: a clock that never jumps. */
const now = (): number => (typeof performance === 'object' ? performance.now() : Date.now());

/** The time a call has taken, its waits included even when a caller's sleep (a test's) takes none. */
export class Clock {
  private readonly startedAt = now();
  private waited = 0;

  elapsed(): number {
    return Math.max(now() - this.startedAt, this.waited);
  }

  waitedFor(ms: number): void {
    this.waited += ms;
  }
}

export class CallScope {
  private readonly callers: readonly AbortSignal[];
  /** Aborts when a caller's signal does or the deadline passes; null when neither can happen. */
  private readonly controller: AbortController | null;
  private stopped: Stop | null = null;
  private deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly release: (() => void)[] = [];
  private readonly onCallerAbort = (): void => this.stop('caller');

  private readonly clock = new Clock();

  /**
   * `callers`: the signals that stop the call (the caller's); `deadlineMs`: from now; `parent`: the
   * call this one is part of (a poll within runTask), which stops it too.
   */
  constructor(
    callers: readonly (AbortSignal | null | undefined)[],
    private readonly deadlineMs: number | null,
    private readonly parent: CallScope | null = null,
  ) {
    if (parent?.controller) callers = [parent.controller.signal, ...callers];
    this.callers = callers.filter((s): s is AbortSignal => s !== null && s !== undefined);
    this.controller = this.callers.length > 0 || deadlineMs !== null ? new AbortController() : null;
    for (const caller of this.callers) {
      if (caller.aborted) this.stop('caller');
      else caller.addEventListener('abort', this.onCallerAbort, { once: true });
    }
    if (deadlineMs !== null && this.stopped === null) {
      this.deadlineTimer = setTimeout(() => this.stop('deadline'), Math.min(deadlineMs, MAX_TIMER_MS));
    }
  }

  /** Why the call stopped, or null while it runs; a stop of the parent call is the parent's. */
  get stoppedBy(): Stop | null {
    return this.parent?.stoppedBy ?? this.stopped;
  }

  /** The caller's reason for aborting, for a ProviderError's cause. */
  get callerReason(): unknown {
    return this.parent?.stoppedBy ? this.parent.callerReason : this.callers.find((s) => s.aborted)?.reason;
  }

  /** Whether a wait of `ms` from now would end past the deadline; the deadline bounds the sum of the waits too. */
  overruns(ms: number): boolean {
    return (this.deadlineMs !== null && this.clock.elapsed() + ms > this.deadlineMs) || (this.parent?.overruns(ms) ?? false);
  }

  /** `promise`, unless the call stops first: then the stop's reason. Nothing the caller passes can outlast a stop. */
  race<T>(promise: Promise<T>): Promise<T> {
    const signal = this.controller?.signal;
    if (signal === undefined) return promise;
    if (signal.aborted) {
      promise.catch(() => undefined);
      return Promise.reject(signal.reason);
    }
    let onStop: (() => void) | undefined;
    const stopped = new Promise<never>((_resolve, reject) => {
      onStop = () => reject(signal.reason);
      signal.addEventListener('abort', onStop, { once: true });
    });
    promise.catch(() => undefined);
    return Promise.race([promise, stopped]).finally(() => signal.removeEventListener('abort', onStop as () => void));
  }

  /** Waits `ms` with `wait` (the caller's sleep, or the default); rejects at once when the call stops. */
  async wait(ms: number, wait: Sleep): Promise<void> {
    if (this.controller === null) {
      // Nothing can stop this call: no race, no listener, one shared signal that never aborts.
      await wait(ms, (unstoppable ??= new AbortController().signal));
    } else {
      // A caller's sleep that ignores its signal still loses the race against a stop.
      await this.race(wait(ms, this.controller.signal));
    }
    this.clock.waitedFor(ms);
  }

  /**
   * The signal for one request: the call's, and a timeout of its own; undefined when there is
   * neither. `timedOut` tells the timeout from the call's stop; `done` clears its timer.
   */
  attempt(timeoutMs: number | null): { signal: AbortSignal | undefined; timedOut: () => boolean; done: () => void } {
    const call = this.controller?.signal;
    if (timeoutMs === null) return call === undefined ? UNBOUNDED : { signal: call, timedOut: never, done: nothing };
    const own = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      own.abort(new DOMException('The request took longer than its attempt timeout.', 'TimeoutError'));
    }, Math.min(timeoutMs, MAX_TIMER_MS));
    const signal = call ? anySignal([call, own.signal], this.release) : own.signal;
    return { signal, timedOut: () => timedOut, done: () => clearTimeout(timer) };
  }

  /** Ends the call: no timer and no listener of it remains. */
  dispose(): void {
    clearTimeout(this.deadlineTimer);
    for (const caller of this.callers) caller.removeEventListener('abort', this.onCallerAbort);
    for (const release of this.release.splice(0)) release();
  }

  private stop(reason: Stop): void {
    if (this.stopped !== null) return;
    this.stopped = reason;
    clearTimeout(this.deadlineTimer);
    this.controller?.abort(reason === 'caller' ? this.callerReason : new DOMException('The call ran past its deadline.', 'TimeoutError'));
  }
}

/** The signal of every wait of a call that has no signal and no deadline. */
let unstoppable: AbortSignal | undefined;

const never = (): boolean => false;
const nothing = (): void => undefined;
/** A request with no signal and no timeout: the common case, which allocates nothing. */
const UNBOUNDED: { signal: AbortSignal | undefined; timedOut: () => boolean; done: () => void } = { signal: undefined, timedOut: never, done: nothing };

/** AbortSignal.any where it exists (Node 20.3+); otherwise listeners that `release` removes. */
function anySignal(signals: readonly AbortSignal[], release: (() => void)[]): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([...signals]);
  const combined = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      combined.abort(signal.reason);
      break;
    }
    const onAbort = (): void => combined.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    release.push(() => signal.removeEventListener('abort', onAbort));
  }
  return combined.signal;
}
