/**
 * Timing helpers. The machine is shared and noisy, so a candidate and its baseline run in
 * alternating rounds and the ratio of their medians is reported, never a single timing.
 */

export interface Timing {
  /** Median nanoseconds per operation. */
  readonly nsPerOp: number;
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

/** Alternates candidate and baseline rounds after a warm-up; returns both medians and their ratio. */
export function compare(
  candidate: (i: number) => unknown,
  baseline: (i: number) => unknown,
  { iterations = 20_000, count = 15 } = {},
): { candidate: number; baseline: number; ratio: number } {
  rounds(candidate, iterations, 3);
  rounds(baseline, iterations, 3);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < count; r++) {
    a.push(...rounds(candidate, iterations, 1));
    b.push(...rounds(baseline, iterations, 1));
  }
  const candidateNs = median(a);
  const baselineNs = median(b);
  return { candidate: candidateNs, baseline: baselineNs, ratio: candidateNs / baselineNs };
}

/** Median ns/op of one function, after a warm-up. */
export function time(fn: (i: number) => unknown, { iterations = 20_000, count = 9 } = {}): number {
  rounds(fn, iterations, 2);
  return median(rounds(fn, iterations, count));
}
