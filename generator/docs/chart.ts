/**
 * A retry rule as a small SVG chart: one bar per retry, solid up to the least wait (the floor),
 * lighter up to the most that jitter can add (the band), and a dashed line at the rule's cap.
 * Plain SVG, no script; its title and description carry the same schedule in words.
 */
import { retriesAllowed } from '../runtime/retry.js';
import type { RetryRule } from '../runtime/types.js';
import { duration, retryWords, waitBounds } from '../words.js';
import { escape, Html } from './html.js';

const WIDTH = 360;
const HEIGHT = 150;
const LEFT = 56;
const RIGHT = 12;
const TOP = 14;
const BOTTOM = 30;
/** Bars beyond this would be slivers; the words below the chart still list every retry. */
const MOST_BARS = 12;

/** Whether the chart would show a bar: some retry it draws waits at all. */
export function charted(rule: RetryRule): boolean {
  return drawnWaits(rule).some((w) => w.most > 0);
}

function drawnWaits(rule: RetryRule): { least: number; most: number }[] {
  return Array.from({ length: Math.min(retriesAllowed(rule), MOST_BARS) }, (_, i) => waitBounds(rule, i + 1));
}

export function retryChart(rule: RetryRule, id: string): Html {
  const waits = drawnWaits(rule);
  const count = waits.length;
  const cap = Math.max(rule.maxMs, rule.minWaitMs);
  const top = Math.max(1, ...waits.map((w) => w.most), Math.min(cap, Math.max(...waits.map((w) => w.most)) * 1.25)) * 1.1;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const y = (ms: number): number => round(TOP + plotHeight - (ms / top) * plotHeight);
  const slot = plotWidth / Math.max(count, 1);
  const barWidth = round(Math.min(28, slot * 0.6));

  const bars = waits.map(({ least, most }, i) => {
    const x = round(LEFT + slot * i + (slot - barWidth) / 2);
    const floor = `<rect class="floor" x="${x}" y="${y(least)}" width="${barWidth}" height="${round(y(0) - y(least))}"><title>retry ${i + 1}: at least ${escape(duration(least))}</title></rect>`;
    const band =
      most > least
        ? `<rect class="jitter" x="${x}" y="${y(most)}" width="${barWidth}" height="${round(y(least) - y(most))}"><title>retry ${i + 1}: jitter adds up to ${escape(duration(most - least))}</title></rect>`
        : '';
    const label = `<text class="tick" x="${round(x + barWidth / 2)}" y="${HEIGHT - BOTTOM + 14}" text-anchor="middle">${i + 1}</text>`;
    return floor + band + label;
  });
  const capLine =
    cap <= top
      ? `<line class="cap" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(cap)}" y2="${y(cap)}"/><text class="tick" x="${WIDTH - RIGHT}" y="${y(cap) - 3}" text-anchor="end">cap ${escape(duration(cap))}</text>`
      : '';
  const axes =
    `<line class="axis" x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${y(0)}"/>` +
    `<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(0)}" y2="${y(0)}"/>` +
    `<text class="tick" x="${LEFT - 6}" y="${y(0) + 4}" text-anchor="end">0</text>` +
    `<text class="tick" x="${LEFT - 6}" y="${TOP + 4}" text-anchor="end">${escape(duration(Math.round(top)))}</text>` +
    `<text class="tick" x="${round(LEFT + plotWidth / 2)}" y="${HEIGHT - 2}" text-anchor="middle">retry</text>`;
  const more = retriesAllowed(rule) > MOST_BARS ? ` (the first ${MOST_BARS} of ${retriesAllowed(rule)})` : '';
  const words = `Wait before each retry${more}: ${retryWords(rule)}.`;
  return new Html(
    `<svg class="chart" id="${escape(id)}" role="img" aria-labelledby="${escape(id)}-title ${escape(id)}-desc" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" data-retries="${count}">` +
      `<title id="${escape(id)}-title">Retry schedule</title><desc id="${escape(id)}-desc">${escape(words)}</desc>` +
      axes +
      bars.join('') +
      capLine +
      '</svg>',
  );
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
