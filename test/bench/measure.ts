/**
 * Timing helpers. The machine is shared and noisy, so a candidate and its baseline run in many
 * short alternating rounds, each pair of neighbouring rounds gives a ratio (both met the same
 * load), and the median of those ratios is reported with their spread, never a single timing.
 */
import { execFileSync } from 'node:child_process';

export interface Timing {
  /** Median nanoseconds per operation. */
  readonly nsPerOp: number;
}

/** Wall-clock milliseconds of one run of a command, to its exit. */
export function wall(command: string, args: readonly string[], cwd: string, env?: Readonly<Record<string, string>>): number {
  const start = performance.now();
  execFileSync(command, args, { cwd, stdio: 'pipe', env: { ...process.env, ...env } });
  return performance.now() - start;
}

/** Runs `fn` `iterations` times per round; returns ns/op for each round. */
function rounds(fn: (i: number) => unknown, iterations: number, count: number): number[] {
  const out: number[] = [];
  let sink = 0;
  for (let r = 0; r < count; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) if (fn(i) === sink) sink++;
    out.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return out;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface Comparison {
  /** Median ns/op of the candidate's rounds. */
  readonly candidate: number;
  /** Median ns/op of the baseline's rounds. */
  readonly baseline: number;
  /** Median of the per-round ratios candidate ÷ baseline. */
  readonly ratio: number;
  /** The middle half of the per-round ratios (25th to 75th percentile). */
  readonly spread: readonly [number, number];
}

/**
 * Alternates short candidate and baseline rounds after warming both equally. The order within a
 * pair alternates too, so neither side always runs just after a collection the other caused.
 */
export function compare(
  candidate: (i: number) => unknown,
  baseline: (i: number) => unknown,
  { iterations = 4_000, count = 61 } = {},
): Comparison {
  for (let w = 0; w < 3; w++) {
    rounds(candidate, iterations, 1);
    rounds(baseline, iterations, 1);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < count; r++) {
    if (r % 2 === 0) {
      a.push(...rounds(candidate, iterations, 1));
      b.push(...rounds(baseline, iterations, 1));
    } else {
      b.push(...rounds(baseline, iterations, 1));
      a.push(...rounds(candidate, iterations, 1));
    }
  }
  const ratios = a.map((ns, r) => ns / (b[r] as number));
  return { candidate: median(a), baseline: median(b), ratio: median(ratios), spread: [percentile(ratios, 0.25), percentile(ratios, 0.75)] };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

/** Median ns/op of one function, after a warm-up. */
export function time(fn: (i: number) => unknown, { iterations = 20_000, count = 9 } = {}): number {
  rounds(fn, iterations, 2);
  return median(rounds(fn, iterations, count));
}
