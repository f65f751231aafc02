/**
 * What a limiter does for a call: a permit of its provider for runTask (first come, first served,
 * waiting under the call's signal and deadline), the adaptive limit, and the retry budget, which
 * works like the AWS SDKs' retry quota. The state lives in a backend: this process, or Redis.
 */
import type { Limiter } from '../runtime/limiter-options.js';
import type { Backend, Renewal } from './limiter-backend.js';
import { LocalBackend } from './limiter-local.js';
import { RedisBackend } from './limiter-redis.js';
import { randomId } from './random-id.js';
import { now, type CallScope } from './scope.js';

/** The store failed: nothing more is sent (`giveUp: 'limiter'`). */
export class StoreFailure extends Error {
  constructor(cause: unknown) {
    super(`the limiter's store failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * One backend per limiter, in a registry that every copy of the package in this process shares:
 * a limiter handed from one copy to another keeps one set of permits.
 */
const backends: WeakMap<Limiter, Backend> = ((globalThis as Record<symbol, unknown>)[Symbol.for('errspec.limiter.backends')] ??= new WeakMap()) as WeakMap<Limiter, Backend>;

function backendOf(limiter: Limiter): Backend {
  let backend = backends.get(limiter);
  if (!backend) {
    backend = limiter.store.kind === 'redis' ? new RedisBackend(limiter.store) : new LocalBackend();
    backends.set(limiter, backend);
  }
  return backend;
}

/** What a renewal found that the holder's caller hears of (every outcome but a plain renewal). */
export type LeaseChange = Exclude<Renewal, 'renewed'>;

/** A call's view of its limiter, for one provider. */
export class Limits {
  private readonly backend: Backend;
  private readonly permits: number | null;

  constructor(
    private readonly limiter: Limiter,
    private readonly provider: string,
  ) {
    this.backend = backendOf(limiter);
    this.permits = limiter.concurrency.get(provider) ?? null;
  }

  /**
   * Waits for a permit; null when the provider is unlimited. `again`: the call gave its permit
   * back for a wait, and queues at the front. Rejects with the stop's reason when the call stops,
   * at once even while the store is slow to answer, and with a StoreFailure when the store fails;
   * either way the queue is left. `onChange` hears what the permit's renewals find.
   */
  async acquire(scope: CallScope, again: boolean, onChange: (change: LeaseChange) => void): Promise<Permit | null> {
    if (this.permits === null) return null;
    const holder = randomId();
    const grantedAt = await this.queue(scope, holder, again);
    return new Permit(this.backend, this.provider, holder, this.permits, grantedAt, onChange);
  }

  /**
   * Before a submit: a permit whose lease may have run out (this process paused, or its renewals
   * failed) is asked for again, at the front of the queue, under the same holder, so that one
   * still held is simply extended. A fresh lease costs no round trip. A grant read late (this
   * process stalled between asking and reading the answer) may be spent already: asked again.
   */
  async confirm(scope: CallScope, permit: Permit): Promise<void> {
    while (!permit.fresh()) permit.granted(await this.queue(scope, permit.holder, true));
  }

  /** After a concurrency error while holding a permit: someone else shares the account. Advice: never fails, never waits past a stop. */
  async congested(scope: CallScope): Promise<void> {
    if (this.permits === null) return;
    const attempt = scope.attempt(null);
    try {
      await scope.race(this.backend.adjust(this.provider, 'down', this.permits, attempt.signal));
    } catch {
      // Advice only.
    } finally {
      attempt.done();
    }
  }

  /** After a task completed: the limit climbs back towards the configured one. Runs on its own; never fails. */
  succeeded(): void {
    if (this.permits !== null) void this.backend.adjust(this.provider, 'up', this.permits).catch(() => undefined);
  }

  /**
   * Takes the tokens of one retry (`timeoutCost` after a timeout or network error); returns what
   * it took, or null when the budget does not cover the retry.
   */
  async takeRetry(scope: CallScope, afterTimeout: boolean): Promise<number | null> {
    const budget = this.limiter.retryBudget;
    if (budget === null) return 0;
    const cost = afterTimeout ? budget.timeoutCost : budget.retryCost;
    const attempt = scope.attempt(null);
    try {
      return (await scope.race(this.call(this.backend.take(this.provider, cost, budget.capacity, attempt.signal)))) ? cost : null;
    } finally {
      attempt.done();
    }
  }

  /**
   * A success: the cost of its last retry comes back, or one token when it needed none (as the
   * AWS SDKs' retry quota does). Runs on its own; a store failing now costs tokens, not the call.
   */
  refund(lastCost: number): void {
    const budget = this.limiter.retryBudget;
    if (budget === null) return;
    void this.backend.refund(this.provider, lastCost > 0 ? lastCost : 1, budget.capacity).catch(() => undefined);
  }

  /** Queues `holder` until it is granted a permit; resolves with when the granting request was sent. */
  private async queue(scope: CallScope, holder: string, again: boolean): Promise<number> {
    const limit = this.permits as number;
    try {
      for (;;) {
        // Listening before asking, so that a release between the answer and the wait is not missed.
        const change = this.backend.changed(this.provider);
        // The store's answer is awaited under the call's stop, which also ends the store's own time limit.
        const attempt = scope.attempt(null);
        try {
          const sentAt = now();
          if (await scope.race(this.call(this.backend.tryAcquire(this.provider, holder, limit, again, attempt.signal)))) return sentAt;
          await scope.race(change.promise);
        } finally {
          attempt.done();
          change.cancel();
        }
      }
    } catch (error) {
      // Out of the queue, so that those behind move up. Also after a failure: a grant the store
      // makes late (a command queued while it was away) is given back as soon as it runs.
      void this.backend.release(this.provider, holder).catch(() => undefined);
      throw error;
    }
  }

  private async call<T>(operation: Promise<T>): Promise<T> {
    try {
      return await operation;
    } catch (error) {
      throw error instanceof StoreFailure ? error : new StoreFailure(error);
    }
  }
}

/**
 * A held permit: renewed while held, when the store's permits are leases. Its lease is tracked on
 * this process's monotonic clock from when each granting or renewing request was sent, which is
 * no later than the store started the lease: so `fresh` never says a lease holds that the store
 * has let go.
 */
export class Permit {
  /** Whether the holder's task may be running at the provider: from a submit to the task's end. */
  running = false;
  private validUntil: number;
  private renewal: ReturnType<typeof setInterval> | undefined;
  private leaveLoss: () => void = () => undefined;
  private released = false;
  /** The last change reported, so that a lease that stays lapsed is reported once. */
  private reported: Renewal = 'renewed';
  private renewing = false;

  constructor(
    private readonly backend: Backend,
    private readonly provider: string,
    readonly holder: string,
    private readonly limit: number,
    grantedAt: number,
    private readonly onChange: (change: LeaseChange) => void,
  ) {
    this.validUntil = grantedAt + (backend.leaseMs ?? Infinity);
    if (backend.renewEveryMs !== null) {
      this.renewal = setInterval(() => this.renew(), backend.renewEveryMs);
      // A store that lost its state: register again now, not at the next renewal.
      this.leaveLoss = backend.onLoss(provider, () => this.renew());
    }
  }

  /** The lease will last at least one more renewal period: a submit may go. */
  fresh(): boolean {
    return now() + (this.backend.renewEveryMs ?? 0) < this.validUntil;
  }

  /** The permit was granted again (confirm), by a request sent at `sentAt`. */
  granted(sentAt: number): void {
    this.validUntil = sentAt + (this.backend.leaseMs ?? Infinity);
    this.reported = 'renewed';
  }

  /** Gives the permit back, without waiting for the store; one that fails now loses it when the lease ends. */
  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.renewal);
    this.leaveLoss();
    void this.backend.release(this.provider, this.holder).catch(() => undefined);
  }

  private renew(): void {
    // A lease that lapsed is asked for again through the queue (confirm), not taken back out of turn;
    // and one renewal at a time: while a store does not answer, they would only pile up.
    if ((this.reported === 'lapsed' && !this.running) || this.renewing) return;
    this.renewing = true;
    const sentAt = now();
    const running = this.running;
    this.backend.renew(this.provider, this.holder, this.limit, running, sentAt < this.validUntil).then(
      (renewal) => {
        this.renewing = false;
        if (this.released) return;
        this.validUntil = renewal === 'lapsed' ? -Infinity : sentAt + (this.backend.leaseMs ?? Infinity);
        if (renewal !== 'renewed' && renewal !== this.reported) this.onChange(renewal);
        this.reported = renewal;
        // Lapsed as nothing ran, but a submit went since: its generation must be counted, now.
        if (renewal === 'lapsed' && !running && this.running) this.renew();
      },
      // A renewal that fails leaves the lease to run out; the next may succeed, and `fresh` tells a submit.
      () => {
        this.renewing = false;
      },
    );
  }
}
