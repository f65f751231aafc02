/**
 * A limiter's state in this process: per provider, the permit holders, the queue of those
 * waiting (first come, first served), the adaptive limit and the retry budget's tokens.
 */
import type { Backend, Renewal } from './limiter-backend.js';

interface ProviderState {
  readonly holders: Set<string>;
  /** Waiting, in order; those back from a wait first. */
  readonly queue: string[];
  /** Holders that gave their permit back for a wait and queue again. */
  readonly returning: Set<string>;
  /** The adaptive limit, a fraction while it climbs back; null until first lowered. */
  effective: number | null;
  tokens: number | null;
  readonly waiters: Set<() => void>;
}

export class LocalBackend implements Backend {
  readonly leaseMs = null;
  readonly renewEveryMs = null;
  private readonly providers = new Map<string, ProviderState>();

  async tryAcquire(provider: string, holder: string, limit: number, again: boolean): Promise<boolean> {
    const state = this.state(provider);
    if (state.holders.has(holder)) return true;
    if (!state.queue.includes(holder)) {
      // Back from a wait: ahead of the newcomers, behind those back before it.
      if (again) state.queue.splice(state.queue.filter((h) => state.returning.has(h)).length, 0, holder);
      else state.queue.push(holder);
      if (again) state.returning.add(holder);
    }
    const free = Math.floor(Math.min(state.effective ?? limit, limit)) - state.holders.size;
    if (state.queue.indexOf(holder) >= free) return false;
    state.queue.splice(state.queue.indexOf(holder), 1);
    state.returning.delete(holder);
    state.holders.add(holder);
    return true;
  }

  async renew(): Promise<Renewal> {
    // Nothing expires in this process: a permit lives as long as its holder.
    return 'renewed';
  }

  async release(provider: string, holder: string): Promise<void> {
    const state = this.state(provider);
    const at = state.queue.indexOf(holder);
    if (at !== -1) state.queue.splice(at, 1);
    state.returning.delete(holder);
    state.holders.delete(holder);
    this.wake(state);
  }

  changed(provider: string): { promise: Promise<void>; cancel: () => void } {
    const state = this.state(provider);
    let wake = (): void => undefined;
    const promise = new Promise<void>((resolve) => {
      wake = resolve;
      state.waiters.add(resolve);
    });
    return { promise, cancel: () => void state.waiters.delete(wake) };
  }

  onLoss(): () => void {
    // State in this process is lost only with the process, and its holders with it.
    return () => undefined;
  }

  async adjust(provider: string, direction: 'down' | 'up', limit: number): Promise<void> {
    const state = this.state(provider);
    state.effective = nextLimit(state.effective ?? limit, direction, limit);
    if (direction === 'up') this.wake(state);
  }

  async take(provider: string, cost: number, capacity: number): Promise<boolean> {
    const state = this.state(provider);
    const tokens = state.tokens ?? capacity;
    if (tokens < cost) return false;
    state.tokens = tokens - cost;
    return true;
  }

  async refund(provider: string, amount: number, capacity: number): Promise<void> {
    const state = this.state(provider);
    state.tokens = Math.min(capacity, (state.tokens ?? capacity) + amount);
  }

  private state(provider: string): ProviderState {
    let state = this.providers.get(provider);
    if (!state) {
      state = { holders: new Set(), queue: [], returning: new Set(), effective: null, tokens: null, waiters: new Set() };
      this.providers.set(provider, state);
    }
    return state;
  }

  private wake(state: ProviderState): void {
    const waiters = [...state.waiters];
    state.waiters.clear();
    for (const wake of waiters) wake();
  }
}

/**
 * Additive increase, multiplicative decrease, as TCP and Netflix's concurrency-limits do: halve
 * on a concurrency error, so that the holders of an account shared with others back off at once;
 * climb back one permit per ten successes, probing slowly where a limit is a handful of permits;
 * never below 1 or above the configured limit.
 */
export function nextLimit(current: number, direction: 'down' | 'up', limit: number): number {
  const next = direction === 'down' ? current / 2 : current + RECOVERY_STEP;
  return Math.min(limit, Math.max(1, next));
}

/** What one success adds to a lowered limit. */
export const RECOVERY_STEP = 0.1;
