/**
 * Where a limiter's state lives: this process (limiter-local.ts) or Redis (limiter-redis.ts).
 * Every method may reject: the store failed.
 */
export interface Backend {
  /**
   * Takes a permit for `holder`, first come first served; false: not yet, and `holder` is queued,
   * at the front when `again` (it gave a permit back for a wait, or its lease lapsed). A holder
   * that holds the permit already keeps it, its lease extended.
   */
  tryAcquire(provider: string, holder: string, limit: number, again: boolean, signal?: AbortSignal): Promise<boolean>;
  /**
   * Keeps a held permit from expiring. `running`: the holder's task may be running at the
   * provider, so that a lease which lapsed is registered again even over the limit (the
   * generation counts, whatever the store thought of it). `held`: its lease had not yet run out on
   * the holder's own clock, so that a store that lost its state may register it again.
   * `signal` ends the wait for the store's answer (and its time limit) when the call stops.
   */
  renew(provider: string, holder: string, limit: number, running: boolean, held: boolean): Promise<Renewal>;
  /** Gives a permit back, or leaves the queue. */
  release(provider: string, holder: string): Promise<void>;
  /** Settles when a permit may have come free: a release here, or, for a shared store, a while later. */
  changed(provider: string): { promise: Promise<void>; cancel: () => void };
  /** Calls `listener` when this process learns that the store lost its state; returns the way out. */
  onLoss(provider: string, listener: () => void): () => void;
  /** Lowers the adaptive limit after a concurrency error, or raises it after a success; never above `limit`. */
  adjust(provider: string, direction: 'down' | 'up', limit: number, signal?: AbortSignal): Promise<void>;
  /** Takes `cost` tokens if there are that many. */
  take(provider: string, cost: number, capacity: number, signal?: AbortSignal): Promise<boolean>;
  refund(provider: string, amount: number, capacity: number): Promise<void>;
  /** How long a permit outlives a holder that stops renewing it; null when permits do not expire. */
  readonly leaseMs: number | null;
  /** How often a holder renews its permit; null when permits do not expire. */
  readonly renewEveryMs: number | null;
}

/**
 * What a renewal found:
 * - `renewed`: the lease was held, and is extended;
 * - `restored`: the store had lost its state (a flush, an empty restart), and the permit is
 *   registered again; nothing new is granted until the holders have had a lease's time to do so;
 * - `reclaimed`: the lease had run out (the holder paused, or could not reach the store), but
 *   nobody had taken the permit: it is held again, and the limit held;
 * - `overcommitted`: the lease had run out and the permit went to someone else while the holder's
 *   task may be running: it is registered again over the limit, so that nothing more is granted
 *   until the account is back under it;
 * - `lapsed`: the same, with nothing of the holder's running: it holds nothing, and must queue
 *   again before it submits.
 */
export type Renewal = 'renewed' | 'restored' | 'reclaimed' | 'overcommitted' | 'lapsed';
