/**
 * Retry rules and poll cadences in words, the same everywhere errspec shows them: the package's
 * README, the reference site and `errspec diff`.
 */
import { placeText } from './field-path.js';
import type { ConditionModel, RequestHeaderModel, SoftFailureModel, TaskLayerModel, WaitPlaceModel, VerdictModel } from './model.js';
import { pathText } from './runtime/body.js';
import { plannedDelay, retriesAllowed } from './runtime/retry.js';
import type { PollCadence, RetryRule, StatusClass } from './runtime/types.js';

/** The least and most wait before retry number `attempt` when no hint is given, as retryDelayMs computes it. */
export function waitBounds(rule: RetryRule, attempt: number): { least: number; most: number } {
  return { least: plannedDelay(rule, attempt, 0), most: plannedDelay(rule, attempt, 1) };
}

/**
 * A retry rule in words: the wait before each retry (a range where jitter can add to it, up to
 * the rule's cap, as retryDelayMs computes it), and what a wait the server states does.
 */
export function retryWords(rule: RetryRule | null): string {
  if (rule === null) return 'no';
  const retries = retriesAllowed(rule);
  const waits = Array.from({ length: Math.min(retries, 6) }, (_, i) => {
    const { least, most } = waitBounds(rule, i + 1);
    return most > least ? durationRange(least, most) : duration(least);
  });
  const more = retries > 6 ? `, … (${retries} retries)` : '';
  const after = `stated waits up to ${duration(rule.retryAfterCapMs)}, ${rule.overCap === 'stop' ? 'longer gives up' : `longer waits ${duration(rule.retryAfterCapMs)}`}`;
  return `${waits.join(', ')}${more}; ${after}`;
}

export function duration(ms: number): string {
  const [amount, unit] = measure(ms);
  return unit === '' ? amount : `${amount} ${unit}`;
}

/** `30–37.5 s`: one unit when both ends share it. */
export function durationRange(least: number, most: number): string {
  const [a, unit] = measure(least);
  const [b, other] = measure(most);
  return unit === other && unit !== '' ? `${a}–${b} ${unit}` : `${duration(least)}–${duration(most)}`;
}

function measure(ms: number): [string, string] {
  if (ms === 0) return ['at once', ''];
  // Whole milliseconds: a jittered bound (375 ms plus a third) reads 500 ms, not 499.9875.
  if (ms < 1000) return [String(Math.round(ms)), 'ms'];
  if (ms < 120_000 || ms % 60_000 !== 0) return [String(Number((ms / 1000).toFixed(1))), 's'];
  return [String(ms / 60_000), 'min'];
}

export function cadenceWords(poll: PollCadence): string {
  const every = poll.growth > 1 && poll.maxIntervalMs > poll.intervalMs ? `from every ${duration(poll.intervalMs)}, backing off to ${duration(poll.maxIntervalMs)}` : `every ${duration(poll.intervalMs)}`;
  const eta = poll.eta ? ` (or as \`${pathText(poll.eta)}\` estimates, within that)` : '';
  return `${every}${eta}, for at most ${duration(poll.timeoutMs)}`;
}

/** What each class of task status means, as the README and the site say it. */
export const STATUS_CLASS_WORDS: Readonly<Record<StatusClass, string>> = {
  failed: 'failed',
  cancelled: 'cancelled',
  completed: 'completed',
  ended: 'ended (failed with an error, else completed)',
  running: 'running',
  queued: 'queued (running, not started)',
};

/** A verdict header's values in words: `` `true` retryable, `false` final (action fix_request) ``. */
export function verdictWords(verdict: VerdictModel): string {
  return verdict.values.map(([value, d]) => `\`${value}\` ${d.retryable ? 'retryable' : 'final'}${d.action === null ? '' : ` (action ${d.action})`}`).join(', ');
}

/** A task's poll cadence, with the places a status response states the next wait, in words. */
export function pollWords(task: TaskLayerModel): string {
  const after = task.pollAfter.length === 0 ? '' : `, or after the wait a status response states at ${retryAfterWords(task.pollAfter)}`;
  return `${cadenceWords(task.poll.value)}${after}`;
}

/** HTTP statuses of a status request that say where its task stands: `202 running, 200 completed`. */
export function httpStateWords(task: TaskLayerModel): string {
  return task.httpStates.map(([status, state]) => `${status} ${STATUS_CLASS_WORDS[state]}`).join(', ');
}

/** Where stated waits are read, in words: `` `header:retry-after-ms` (milliseconds), then `error.message` matching /in (\d+s)/i (duration) ``. */
export function retryAfterWords(waits: readonly WaitPlaceModel[]): string {
  return waits.map((w) => `\`${placeText(w.place)}\`${w.pattern === null ? '' : ` matching \`/${w.pattern}/i\``} (${w.format.replace(/_/g, ' ')})`).join(', then ');
}

/**
 * A soft failure in words: ``when `header:finish-reason` is `CONTENT_FILTERED`: `CONTENT_FILTERED` ``;
 * a rule without a code of its own names the value it reads.
 */
export function softFailureWords(rule: SoftFailureModel): string {
  const conditions = rule.when.map(({ place, test }) => `\`${placeText(place)}\` ${conditionWords(test)}`).join(' and ');
  const code = rule.code === null ? 'the value is the code' : `\`${rule.code}\``;
  return `when ${conditions}: ${code}${rule.message === null ? '' : ` (message at \`${pathText(rule.message)}\`)`}`;
}

function conditionWords(test: ConditionModel['test']): string {
  if ('is' in test) return `is ${test.is.map((value) => `\`${value}\``).join(' or ')}`;
  if ('above' in test) return `is above ${test.above}`;
  return test.empty ? 'is empty or absent' : 'is present and not empty';
}

/** Headers every request carries: `` `X-Runway-Version: 2024-11-06` ``. */
export function requestHeaderWords(headers: readonly RequestHeaderModel[]): string {
  return headers.map((header) => `\`${header.name}: ${header.value}\``).join(', ');
}
