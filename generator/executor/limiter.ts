/**
 * What a limiter does for a call: a permit of its provider for runTask (first come, first served,
 * waiting under the call's signal and deadline), the adaptive limit, and the retry budget, which
 * works like the AWS SDKs' retry quota. The state lives in a backend: this process, or Redis.
 */
import type { Limiter } from '../runtime/limiter-options.js';
import type { Backend } from './limiter-backend.js';
import type { CallScope } from './scope.js';
import { LocalBackend } from './limiter-local.js';
import { RedisBackend } from './limiter-redis.js';

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
   * either way the queue is left.
   */
  async acquire(scope: CallScope, again = false): Promise<Permit | null> {
    if (this.permits === null) return null;
    const holder = crypto.randomUUID();
    try {
      for (;;) {
        // Listening before asking, so that a release between the answer and the wait is not missed.
        const change = this.backend.changed(this.provider);
        try {
          if (await scope.race(this.call(this.backend.tryAcquire(this.provider, holder, this.permits, again)))) return new Permit(this.backend, this.provider, holder);
          await scope.race(change.promise);
        } finally {
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

  /** After a concurrency error while holding a permit: someone else shares the account. Advice: never fails. */
  async congested(): Promise<void> {
    if (this.permits !== null) await this.backend.adjust(this.provider, 'down', this.permits).catch(() => undefined);
  }

  /** After a task completed: the limit climbs back towards the configured one. Runs on its own; never fails. */
  succeeded(): void {
    if (this.permits !== null) void this.backend.adjust(this.provider, 'up', this.permits).catch(() => undefined);
  }

  /**
   * Takes the tokens of one retry (`timeoutCost` after a timeout or network error); returns what
   * it took, or null when the budget does not cover the retry.
   */
  async takeRetry(afterTimeout: boolean): Promise<number | null> {
    const budget = this.limiter.retryBudget;
    if (budget === null) return 0;
    const cost = afterTimeout ? budget.timeoutCost : budget.retryCost;
    return (await this.call(this.backend.take(this.provider, cost, budget.capacity))) ? cost : null;
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

  private async call<T>(operation: Promise<T>): Promise<T> {
    try {
      return await operation;
    } catch (error) {
      throw error instanceof StoreFailure ? error : new StoreFailure(error);
    }
  }
}

/** A held permit: renewed while held, when the store's permits are leases. */
export class Permit {
  private renewal: ReturnType<typeof setInterval> | undefined;
  private released = false;

  constructor(
    private readonly backend: Backend,
    private readonly provider: string,
    private readonly holder: string,
  ) {
    if (backend.renewEveryMs !== null) {
      this.renewal = setInterval(() => {
        // A renewal that fails leaves the lease to expire; the task goes on, and a later renewal may succeed.
        backend.renew(provider, holder).catch(() => undefined);
      }, backend.renewEveryMs);
    }
  }

  /** Gives the permit back, without waiting for the store; one that fails now loses it when the lease ends. */
  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.renewal);
    void this.backend.release(this.provider, this.holder).catch(() => undefined);
  }
}
