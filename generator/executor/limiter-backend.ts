/**
 * Where a limiter's state lives: this process (limiter-local.ts) or Redis (limiter-redis.ts).
 * Every method may reject: the store failed.
 */
export interface Backend {
  /**
   * Takes a permit for `holder`, first come first served; false: not yet, and `holder` is queued,
   * at the front when `again` (it gave a permit back for a wait).
   */
  tryAcquire(provider: string, holder: string, limit: number, again: boolean): Promise<boolean>;
  /** Keeps a held permit from expiring. */
  renew(provider: string, holder: string): Promise<void>;
  /** Gives a permit back, or leaves the queue. */
  release(provider: string, holder: string): Promise<void>;
  /** Settles when a permit may have come free: a release here, or, for a shared store, a while later. */
  changed(provider: string): { promise: Promise<void>; cancel: () => void };
  /** Lowers the adaptive limit after a concurrency error, or raises it after a success; never above `limit`. */
  adjust(provider: string, direction: 'down' | 'up', limit: number): Promise<void>;
  /** Takes `cost` tokens if there are that many. */
  take(provider: string, cost: number, capacity: number): Promise<boolean>;
  refund(provider: string, amount: number, capacity: number): Promise<void>;
  /** How often a holder renews its permit; null when permits do not expire. */
  readonly renewEveryMs: number | null;
}
