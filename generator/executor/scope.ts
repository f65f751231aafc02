/**
 * The time and cancellation of one call: the caller's signals, its deadline, the timeout of each
 * request and every wait. A stop (the caller's abort, the deadline) ends at once whatever is under
 * way: the request in flight, through a controller made for that request alone, or the wait.
 * Nothing outlives the call: `dispose` clears the deadline's timer and leaves the caller's signals;
 * requests and waits clear their own as they end. Between two requests a call holds no signal.
 */
import { watchAbort } from './abort-watch.js';
import type { Sleep } from './types.js';

/** setTimeout's limit; a longer wait runs as several timers. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Why a call stopped early: the caller aborted, or the deadline passed. */
export type Stop = 'caller' | 'deadline';

/** A wait that nothing can stop: no signal, no listener. */
const pause = (ms: number): Promise<void> => new Promise<void>((resolve) => void timer(ms, resolve));

/** Calls `done` after `ms`, as several timers past setTimeout's limit; returns the cancel. */
function timer(ms: number, done: () => void): () => void {
  let left = Math.max(0, ms);
  let handle: ReturnType<typeof setTimeout> | undefined;
  const step = (): void => {
    if (left <= 0) return done();
    const chunk = Math.min(left, MAX_TIMER_MS);
    left -= chunk;
    handle = setTimeout(step, chunk);
  };
  step();
  return () => clearTimeout(handle);
}

/** performance.now() where there is one: a clock that never jumps. */
export const now = (): number => (typeof performance === 'object' ? performance.now() : Date.now());

/** The time a call has taken, its waits included even when a caller's sleep (a test's) takes none. */
class Clock {
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
  /** Whether anything can stop the call: a caller's signal, a deadline, or a call it is part of. */
  private readonly stoppable: boolean;
  private stopped: Stop | null = null;
  /** The caller's abort reason, or the deadline's TimeoutError. */
  private reason: unknown;
  private cancelDeadline: () => void = nothing;
  private readonly release: (() => void)[] = [];
  /** What a stop ends at once: the request in flight, the wait under way, a poll within the call. */
  private readonly interrupts: (() => void)[] = [];
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
    const signals = callers.filter((s): s is AbortSignal => s !== null && s !== undefined);
    this.stoppable = signals.length > 0 || deadlineMs !== null || (parent?.stoppable ?? false);
    if (parent?.stopped) this.stop(parent.stopped, parent.reason);
    else if (parent) this.release.push(parent.interruptible(() => this.stop(parent.stopped as Stop, parent.reason)));
    for (const signal of signals) {
      if (this.stopped !== null) break;
      if (signal.aborted) this.stop('caller', signal.reason);
      else this.release.push(watchAbort(signal, () => this.stop('caller', signal.reason)));
    }
    if (deadlineMs !== null && this.stopped === null) {
      this.cancelDeadline = timer(deadlineMs, () => this.stop('deadline', new DOMException('The call ran past its deadline.', 'TimeoutError')));
    }
  }

  /** Why the call stopped, or null while it runs; a stop of the call this one is part of is its own. */
  get stoppedBy(): Stop | null {
    return this.stopped;
  }

  /** The caller's reason for aborting, for a ProviderError's cause. */
  get callerReason(): unknown {
    return this.stopped === 'caller' ? this.reason : undefined;
  }

  /** Whether a wait of `ms` from now would end past the deadline; the deadline bounds the sum of the waits too. */
  overruns(ms: number): boolean {
    return ms > this.remaining();
  }

  /** The time left before the deadline (this call's, or that of a call it is part of); Infinity without one. */
  remaining(): number {
    const own = this.deadlineMs === null ? Infinity : this.deadlineMs - this.clock.elapsed();
    return Math.min(own, this.parent?.remaining() ?? Infinity);
  }

  /** `promise`, unless the call stops first: then the stop's reason. Nothing the caller passes can outlast a stop. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (!this.stoppable) return promise;
    return new Promise<T>((resolve, reject) => {
      const interrupt = (): void => reject(this.reason);
      const end = this.interruptible(interrupt);
      // Settled either way, so a promise that loses the race never rejects unhandled.
      Promise.resolve(promise).then(
        (value) => {
          end();
          resolve(value);
        },
        (error: unknown) => {
          end();
          reject(error);
        },
      );
      if (this.stopped !== null) interrupt();
    });
  }

  /**
   * Waits `ms`, with the caller's `sleep` or a timer of the call's own; rejects at once when the
   * call stops. A caller's sleep gets a signal for this wait, and loses the race against a stop
   * even if it ignores it.
   */
  wait(ms: number, sleep: Sleep | null): Promise<void> {
    if (this.stopped !== null) return Promise.reject(this.reason);
    const waited = (): void => this.clock.waitedFor(ms);
    if (sleep === null) {
      if (!this.stoppable) return pause(ms).then(waited);
      return new Promise<void>((resolve, reject) => {
        let cancel = nothing;
        const end = this.interruptible(() => {
          cancel();
          reject(this.reason);
        });
        cancel = timer(ms, () => {
          end();
          waited();
          resolve();
        });
      });
    }
    // A signal of this wait's own: a sleep that never removes its listener leaves it on nothing that lasts.
    const controller = new AbortController();
    const end = this.interruptible(() => controller.abort(this.reason));
    let slept: Promise<unknown>;
    try {
      slept = Promise.resolve(sleep(ms, controller.signal));
    } catch (error) {
      slept = Promise.reject(error);
    }
    return this.race(slept).then(
      () => {
        end();
        waited();
      },
      (error: unknown) => {
        end();
        throw error;
      },
    );
  }

  /**
   * The signal for one request: aborted when the call stops or the request's own timeout passes;
   * undefined when neither can happen. `timedOut` tells the timeout from the call's stop; `done`
   * clears its timer.
   */
  attempt(timeoutMs: number | null): { signal: AbortSignal | undefined; timedOut: () => boolean; done: () => void } {
    if (!this.stoppable && timeoutMs === null) return UNBOUNDED;
    const controller = new AbortController();
    let timedOut = false;
    const cancel =
      timeoutMs === null
        ? nothing
        : timer(timeoutMs, () => {
            timedOut = true;
            controller.abort(new DOMException('The request took longer than its attempt timeout.', 'TimeoutError'));
          });
    const end = this.interruptible(() => controller.abort(this.reason));
    if (this.stopped !== null) controller.abort(this.reason);
    return {
      signal: controller.signal,
      timedOut: () => timedOut,
      done: () => {
        cancel();
        end();
      },
    };
  }

  /** Ends the call: no timer of it remains, and it leaves the signals it watched. */
  dispose(): void {
    this.cancelDeadline();
    for (const release of this.release.splice(0)) release();
  }

  /** Calls `interrupt` at a stop, until the returned function is called. */
  private interruptible(interrupt: () => void): () => void {
    this.interrupts.push(interrupt);
    return () => {
      const at = this.interrupts.indexOf(interrupt);
      if (at !== -1) this.interrupts.splice(at, 1);
    };
  }

  private stop(kind: Stop, reason: unknown): void {
    if (this.stopped !== null) return;
    this.stopped = kind;
    this.reason = reason;
    this.cancelDeadline();
    for (const interrupt of this.interrupts.splice(0)) interrupt();
  }
}

const nothing = (): void => undefined;
const never = (): boolean => false;
/** A request that nothing can stop and no timeout bounds: the common case, which allocates nothing. */
const UNBOUNDED: { signal: AbortSignal | undefined; timedOut: () => boolean; done: () => void } = { signal: undefined, timedOut: never, done: nothing };
