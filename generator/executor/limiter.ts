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

const backends = new WeakMap<Limiter, Backend>();

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
   * Waits for a permit; null when the provider is unlimited. Rejects with the stop's reason when
   * the call stops while waiting, and with a StoreFailure when the store fails; either way the
   * queue is left.
   */
  async acquire(scope: CallScope): Promise<Permit | null> {
    if (this.permits === null) return null;
    const holder = crypto.randomUUID();
    try {
      for (;;) {
        if (await this.call(this.backend.tryAcquire(this.provider, holder, this.permits))) return new Permit(this.backend, this.provider, holder);
        const change = this.backend.changed(this.provider);
        try {
          await scope.race(change.promise);
        } finally {
          change.cancel();
        }
      }
    } catch (error) {
      // Out of the queue, so that those behind move up; a store that failed has nothing to leave.
      if (!(error instanceof StoreFailure)) await this.backend.release(this.provider, holder).catch(() => undefined);
      throw error;
    }
  }

  /** After a concurrency error while holding a permit: someone else shares the account. */
  async congested(): Promise<void> {
    if (this.permits !== null) await this.call(this.backend.adjust(this.provider, 'down', this.permits));
  }

  /** After a task completed: the limit climbs back towards the configured one. */
  async succeeded(): Promise<void> {
    if (this.permits !== null) await this.call(this.backend.adjust(this.provider, 'up', this.permits));
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

  /** A success: what its retries took comes back, or one token when it needed none. */
  async refund(taken: number): Promise<void> {
    const budget = this.limiter.retryBudget;
    if (budget === null) return;
    await this.call(this.backend.refund(this.provider, taken > 0 ? taken : 1, budget.capacity));
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

  /** Gives the permit back; a store that fails now loses it when the lease ends. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.renewal);
    await this.backend.release(this.provider, this.holder).catch(() => undefined);
  }
}
