/**
 * Retry rules as the waits they produce, so that a diff shows what a change does at run time
 * ("attempt 1: ≥30 s → ≥5 s") rather than which fields moved. Two rules that produce the same
 * waits are the same rule; any difference in the waits, however small, is a change.
 */
import { retriesAllowed } from '../runtime/retry.js';
import type { RetryRule } from '../runtime/types.js';
import { duration, waitBounds } from '../words.js';

/** The waits before each retry, and what a `Retry-After` hint does to them. */
export interface WaitSchedule {
  /** One entry per retry. */
  readonly waits: readonly { readonly least: number; readonly most: number }[];
  /** null: no retry at all. */
  readonly retryAfter: { readonly capMs: number; readonly overCap: 'cap' | 'stop' } | null;
}

export function waitSchedule(rule: RetryRule | null): WaitSchedule {
  if (rule === null) return { waits: [], retryAfter: null };
  const waits = Array.from({ length: retriesAllowed(rule) }, (_, i) => waitBounds(rule, i + 1));
  return { waits, retryAfter: { capMs: rule.retryAfterCapMs, overCap: rule.overCap } };
}

export function sameSchedule(a: WaitSchedule, b: WaitSchedule): boolean {
  return (
    a.waits.length === b.waits.length &&
    a.waits.every((w, i) => w.least === b.waits[i]!.least && w.most === b.waits[i]!.most) &&
    a.retryAfter?.capMs === b.retryAfter?.capMs &&
    a.retryAfter?.overCap === b.retryAfter?.overCap
  );
}

/** The lines that differ: `attempt 1: ≥30 s → ≥5 s`, `attempt 4: ≥8 s → no retry`. */
export function scheduleChanges(before: WaitSchedule, after: WaitSchedule): string[] {
  const lines: string[] = [];
  const count = Math.max(before.waits.length, after.waits.length);
  for (let i = 0; i < count; i++) {
    const old = before.waits[i];
    const now = after.waits[i];
    if (old && now && old.least === now.least && old.most === now.most) continue;
    // Rounded words can hide a small change; then say it in milliseconds.
    const exact = old !== undefined && now !== undefined && words(old, duration) === words(now, duration);
    const say = (wait: typeof old): string => (wait === undefined ? 'no retry' : words(wait, exact ? (ms) => `${ms} ms` : duration));
    lines.push(`attempt ${i + 1}: ${say(old)} → ${say(now)}`);
  }
  const was = retryAfterWords(before);
  const is = retryAfterWords(after);
  if (was !== is) lines.push(`Retry-After: ${was} → ${is}`);
  return lines;
}

function words(wait: { least: number; most: number }, unit: (ms: number) => string): string {
  if (wait.most > wait.least) return `≥${unit(wait.least)}, ≤${unit(wait.most)}`;
  return wait.least === 0 ? 'at once' : `≥${unit(wait.least)}`;
}

function retryAfterWords(schedule: WaitSchedule): string {
  const hint = schedule.retryAfter;
  if (hint === null) return 'no retry';
  return `honoured up to ${duration(hint.capMs)}, ${hint.overCap === 'cap' ? `longer ones wait ${duration(hint.capMs)}` : 'longer ones stop retrying'}`;
}
