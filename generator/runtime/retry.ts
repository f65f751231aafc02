/**
 * How long to wait before retry number `attempt` (an integer from 1), or null: do not retry. The
 * rule comes from the spec: the code's own rule when the error names a declared code, else its
 * status's, else its category's with the provider's defaults (for network errors, the provider's
 * network defaults, which most providers leave unset). A wait the server states replaces the
 * rule's schedule, up to the rule's ceiling (`retryAfter.capMs`); past it, the rule stops or caps.
 */
import { categoryOutcome, codeEntry, statusOutcome } from './outcome.js';
import type { ClassifiedErrorOf, Outcome, ProviderTable, RetryOptions, RetryRule, TaxonomyTable, Vocabulary } from './types.js';

export function retryDelayMs<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  tables: ReadonlyMap<V['provider'], ProviderTable<V>>,
  error: unknown,
  attempt: unknown,
  options?: RetryOptions,
): number | null {
  const plan = retryPlan(taxonomy, tables, error, attempt, options);
  return typeof plan === 'number' ? plan : null;
}

/** Why there is no retry: the failure is final, the rule's attempts are spent, or the wait asked for is past the ceiling. */
export type NoRetry = 'not_retryable' | 'max_attempts' | 'max_delay';

/** The wait before retry number `attempt`, or why there is none: retryDelayMs, with the reason kept for the executor. */
export function retryPlan<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  tables: ReadonlyMap<V['provider'], ProviderTable<V>>,
  error: unknown,
  attempt: unknown,
  options?: RetryOptions,
): number | NoRetry {
  const seen = readError<V>(error);
  if (seen === null || seen.retryable !== true) return 'not_retryable';
  // 0, negative and fractional attempts name no retry: none, rather than a guess.
  if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1) return 'not_retryable';
  const rule = ruleFor(taxonomy, tables, seen);
  if (rule === null) return 'not_retryable';
  if (attempt > retriesAllowed(rule)) return 'max_attempts';

  const fraction = random(options);
  const hint = seen.retryAfterMs;
  if (typeof hint !== 'number' || !Number.isFinite(hint) || hint < 0) return plannedDelay(rule, attempt, fraction);
  if (hint <= rule.retryAfterCapMs) return statedDelay(rule, hint, fraction);
  // Past the ceiling: never sleep days on a hint, and never retry early unless the spec says to.
  return rule.overCap === 'stop' ? 'max_delay' : Math.max(plannedDelay(rule, attempt, fraction), rule.retryAfterCapMs);
}

/** How much a stated wait is lengthened at most, at random, so that clients told the same wait do not all return at once. */
export const STATED_JITTER = 0.1;

/**
 * The wait when the server states one: that wait, plus a little jitter, whatever the rule's own
 * schedule says; only a minimum the documents state (`minWaitMs`) lengthens it. At most the larger
 * of the rule's maximum and the stated wait.
 */
export function statedDelay(rule: RetryRule, hint: number, fraction: number): number {
  if (hint < rule.minWaitMs) return Math.min(Math.max(rule.maxMs, rule.minWaitMs), rule.minWaitMs + rule.minWaitMs * rule.jitter * fraction);
  return Math.min(Math.max(rule.maxMs, hint), hint + hint * STATED_JITTER * fraction);
}

/** Retries a rule allows: its maxAttempts counts requests, the first one included. */
export function retriesAllowed(rule: RetryRule): number {
  return Math.max(0, rule.maxAttempts - 1);
}

/**
 * The rule's own wait before retry number `attempt`, with `fraction` (in [0, 1]) of its jitter:
 * 0 gives the least wait, 1 the most. A `Retry-After` hint can only lengthen it.
 */
export function plannedDelay(rule: RetryRule, attempt: number, fraction: number): number {
  const planned = Math.min(rule.maxMs, rule.strategy === 'exponential' ? rule.baseMs * 2 ** (attempt - 1) : rule.baseMs);
  const floor = Math.max(rule.minWaitMs, planned);
  return Math.min(Math.max(rule.maxMs, rule.minWaitMs), floor + floor * rule.jitter * fraction);
}

type ErrorFields<V extends Vocabulary> = Pick<
  ClassifiedErrorOf<V>,
  'provider' | 'source' | 'status' | 'code' | 'category' | 'subtype' | 'retryable' | 'retryAfterMs'
>;

/** Copies the fields once, so a hostile object can only fail here. */
function readError<V extends Vocabulary>(error: unknown): ErrorFields<V> | null {
  if (typeof error !== 'object' || error === null) return null;
  try {
    const e = error as ErrorFields<V>;
    return {
      provider: e.provider,
      source: e.source,
      status: e.status,
      code: e.code,
      category: e.category,
      subtype: e.subtype,
      retryable: e.retryable,
      retryAfterMs: e.retryAfterMs,
    };
  } catch {
    return null;
  }
}

/** Follows the same path as classification, and trusts it only while the category agrees. */
function ruleFor<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  tables: ReadonlyMap<V['provider'], ProviderTable<V>>,
  error: ErrorFields<V>,
): RetryRule | null {
  const table = typeof error.provider === 'string' ? tables.get(error.provider) : undefined;
  const outcome = declaredOutcome(table, error);
  if (outcome && outcome.retry !== null) return outcome.retry;
  const base = categoryOutcome(taxonomy, error.category).retry;
  const defaults = error.source === 'network' ? table?.networkRetryDefaults : table?.retryDefaults;
  return base === null ? null : withDefaults(base, defaults ?? null);
}

/**
 * The outcome the spec declares for a classified failure: its code's (or sub-type's), else its
 * status's; undefined when there is none, or when the error's category no longer agrees with it
 * (an error built or changed by hand).
 */
export function declaredOutcome<V extends Vocabulary>(
  table: ProviderTable<V> | undefined,
  error: Pick<ClassifiedErrorOf<V>, 'source' | 'status' | 'code' | 'category' | 'subtype'>,
): Outcome<V> | undefined {
  const layer = error.source === 'http' ? table?.http : error.source === 'task' ? table?.task : null;
  let outcome: Outcome<V> | undefined;
  if (layer && typeof error.code === 'string') {
    const entry = codeEntry(layer, error.code);
    const subtype = entry?.subtypes.find((s) => s.id === error.subtype);
    outcome = subtype?.outcome ?? entry;
  }
  if (!outcome && table && error.source === 'http' && typeof error.status === 'number') {
    outcome = statusOutcome(table.http, error.status);
  }
  return outcome && outcome.category === error.category ? outcome : undefined;
}

/** A category's rule with a provider's defaults over it: what an undeclared code retries by. */
export function withDefaults(rule: RetryRule, defaults: Partial<RetryRule> | null): RetryRule {
  return defaults ? { ...rule, ...defaults } : rule;
}

/** The caller's random source, clamped to [0, 1); a broken one counts as 0. */
function random(options: RetryOptions | undefined): number {
  let value: unknown;
  try {
    value = options?.random ? options.random() : Math.random();
  } catch {
    value = 0;
  }
  return typeof value === 'number' && value >= 0 && value < 1 ? value : 0;
}
