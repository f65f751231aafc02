/**
 * Retry rules and poll cadences in words, as the waits they produce, so that a diff shows what a
 * change does at run time ("attempt 1: ≥30 s → ≥5 s") rather than which fields moved. Two rules
 * that produce the same waits are the same rule.
 */
import type { PollCadence, RetryRule } from '../runtime/types.js';

/** The waits before each retry, and what a `Retry-After` hint does to them. */
export interface WaitSchedule {
  /** One entry per retry: `≥2 s` or `≥2 s, ≤3 s` with jitter. */
  readonly attempts: readonly string[];
  readonly retryAfter: string;
}

export function waitSchedule(rule: RetryRule | null): WaitSchedule {
  if (rule === null) return { attempts: [], retryAfter: 'no retry' };
  const attempts: string[] = [];
  for (let attempt = 1; attempt <= rule.maxAttempts; attempt++) {
    const { floor, ceiling } = waitBounds(rule, attempt);
    attempts.push(ceiling > floor ? `≥${duration(floor)}, ≤${duration(ceiling)}` : `≥${duration(floor)}`);
  }
  const over = rule.overCap === 'cap' ? `longer ones wait ${duration(rule.retryAfterCapMs)}` : 'longer ones stop retrying';
  return { attempts, retryAfter: `honoured up to ${duration(rule.retryAfterCapMs)}, ${over}` };
}

/** The same arithmetic as the runtime's `retryDelayMs` (runtime/retry.ts), without a hint. */
export function waitBounds(rule: RetryRule, attempt: number): { floor: number; ceiling: number } {
  const planned = Math.min(rule.maxMs, rule.strategy === 'exponential' ? rule.baseMs * 2 ** (attempt - 1) : rule.baseMs);
  const floor = Math.max(rule.minWaitMs, planned);
  const ceiling = Math.min(Math.max(rule.maxMs, rule.minWaitMs), floor + floor * rule.jitter);
  return { floor, ceiling: Math.max(floor, ceiling) };
}

export function sameSchedule(a: WaitSchedule, b: WaitSchedule): boolean {
  return a.retryAfter === b.retryAfter && a.attempts.length === b.attempts.length && a.attempts.every((wait, i) => wait === b.attempts[i]);
}

/** The lines that differ: `attempt 1: ≥30 s → ≥5 s`, `attempt 4: ≥8 s → no retry`. */
export function scheduleChanges(before: WaitSchedule, after: WaitSchedule): string[] {
  const lines: string[] = [];
  const count = Math.max(before.attempts.length, after.attempts.length);
  for (let i = 0; i < count; i++) {
    const old = before.attempts[i] ?? 'no retry';
    const now = after.attempts[i] ?? 'no retry';
    if (old !== now) lines.push(`attempt ${i + 1}: ${old} → ${now}`);
  }
  if (before.retryAfter !== after.retryAfter) lines.push(`Retry-After: ${before.retryAfter} → ${after.retryAfter}`);
  return lines;
}

/** `every 3 s, ×1.5 up to 10 s, for at most 10 min, sooner when the body's estimated_seconds says so`. */
export function describeCadence(cadence: PollCadence): string {
  const growth = cadence.growth !== 1 && cadence.maxIntervalMs > cadence.intervalMs ? `, ×${cadence.growth} up to ${duration(cadence.maxIntervalMs)}` : '';
  const eta = cadence.eta === null ? '' : `, guided by ${cadence.eta.join('.')}`;
  return `every ${duration(cadence.intervalMs)}${growth}, for at most ${duration(cadence.timeoutMs)}${eta}`;
}

/** Milliseconds for people: `500 ms`, `2.5 s`, `10 min`, `1.5 h`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${round(ms)} ms`;
  if (ms < 60_000) return `${round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${round(ms / 60_000)} min`;
  return `${round(ms / 3_600_000)} h`;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}
