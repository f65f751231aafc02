/**
 * Retry rules as the waits they produce, so that a diff shows what a
 * change does at run time ("attempt 1: ≥30 s → ≥5 s") rather than which fields moved. Two rules
 * that produce the same waits are the same rule.
 */
import type { RetryRule } from '../runtime/types.js';
import { duration, waitBounds } from '../words.js';

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
    const { least, most } = waitBounds(rule, attempt);
    attempts.push(most > least ? `≥${duration(least)}, ≤${duration(most)}` : least === 0 ? 'at once' : `≥${duration(least)}`);
  }
  const over = rule.overCap === 'cap' ? `longer ones wait ${duration(rule.retryAfterCapMs)}` : 'longer ones stop retrying';
  return { attempts, retryAfter: `honoured up to ${duration(rule.retryAfterCapMs)}, ${over}` };
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
