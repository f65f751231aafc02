/**
 * Part of the model stage: resolving an outcome from its category's defaults, the provider's
 * defaults and what the spec states, and completing its retry rule. Problems only visible after
 * resolution (an incomplete or self-contradictory rule) become diagnostics at the owning entry.
 */
import { MIN_RETRY_AFTER_CAP_MS } from './contract.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { LoadedFile } from './load.js';
import type { SpecOutcome } from './model.js';
import type { RetryRule } from './runtime/types.js';
import type { OutcomeSpec, RetryRuleSpec, TaxonomySpec } from './spec.js';

const RULE_FIELDS = ['strategy', 'baseMs', 'maxMs', 'maxAttempts'] as const;

/** Resolves outcomes against the taxonomy's category defaults and the provider's defaults. */
export class Resolver {
  constructor(
    private readonly taxonomy: TaxonomySpec,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /**
   * `base` is the code a sub-type refines. A sub-type that names another category starts over from
   * that category's defaults; otherwise it inherits the code's outcome.
   */
  outcome(
    file: LoadedFile,
    path: readonly (string | number)[],
    spec: OutcomeSpec,
    base: SpecOutcome | null,
    providerDefaults: RetryRuleSpec | null,
  ): SpecOutcome {
    const categoryId = spec.category ?? base?.category ?? 'unknown';
    const category = this.taxonomy.categories[categoryId];
    const inherit = base !== null && spec.category === undefined ? base : null;
    const retryable = spec.retryable ?? inherit?.retryable ?? category?.retryable ?? false;
    const outcome: SpecOutcome = {
      category: categoryId,
      action: spec.action ?? inherit?.action ?? category?.action ?? 'contact_support',
      retryable,
      retry: null,
      description: spec.description ?? base?.description ?? category?.description ?? categoryId,
      suggestion: spec.suggestion ?? base?.suggestion ?? null,
      unprocessed: spec.unprocessed ?? inherit?.unprocessed ?? category?.unprocessed ?? false,
    };
    if (!retryable) return outcome;

    // An inherited rule already carries the provider's defaults; only a fresh start takes them again.
    const merged: RetryRuleSpec = inherit?.retry
      ? mergeRules(toSpec(inherit.retry), spec.retry ?? {})
      : mergeRules(category?.retry ?? {}, providerDefaults ?? {}, spec.retry ?? {});
    const rule = this.completeRule(file, path, merged, spec.retry !== undefined);
    return { ...outcome, retry: rule };
  }

  /**
   * Provider defaults also apply over every category's rule for codes the spec does not declare,
   * so each merged rule must hold together too.
   */
  checkDefaults(file: LoadedFile, path: readonly (string | number)[], defaults: RetryRuleSpec): void {
    for (const [id, category] of Object.entries(this.taxonomy.categories)) {
      if (!category.retryable || !category.retry) continue;
      this.completeRule(file, path, mergeRules(category.retry, defaults), false, `with the ${id} category's rule, `);
    }
  }

  private completeRule(
    file: LoadedFile,
    path: readonly (string | number)[],
    rule: RetryRuleSpec,
    ownRule: boolean,
    context = '',
  ): RetryRule | null {
    const report = (message: string, field?: string): void => {
      const at = file.locate(ownRule && field ? [...path, 'retry', field] : path, field && ownRule ? 'value' : 'key');
      this.diagnostics.push(diagnostic(at, 'semantic', context + message, file.sourceLine(at)));
    };
    const missing = RULE_FIELDS.filter((field) => rule[field] === undefined);
    if (missing.length > 0) {
      report(`retryable, but the retry rule has no ${missing.join(', ')} (state them here or in the category's default rule)`);
      return null;
    }
    const complete: RetryRule = {
      strategy: rule.strategy as RetryRule['strategy'],
      baseMs: rule.baseMs as number,
      maxMs: rule.maxMs as number,
      maxAttempts: rule.maxAttempts as number,
      minWaitMs: rule.minWaitMs ?? 0,
      jitter: rule.jitter ?? 0,
      retryAfterCapMs: rule.retryAfter?.capMs ?? MIN_RETRY_AFTER_CAP_MS,
      overCap: rule.retryAfter?.overCap ?? 'stop',
    };
    let ok = true;
    if (complete.maxAttempts < 2) {
      report('retryable, but the retry rule allows no retry: maxAttempts counts requests, the first included (set retryable: false, or maxAttempts ≥ 2)', 'maxAttempts');
      ok = false;
    }
    if (complete.minWaitMs > complete.maxMs) {
      report(`the minimum wait (${complete.minWaitMs} ms) exceeds the maximum delay (${complete.maxMs} ms)`, 'minWaitMs');
      ok = false;
    }
    if (complete.baseMs > complete.maxMs) {
      report(`the base delay (${complete.baseMs} ms) exceeds the maximum delay (${complete.maxMs} ms)`, 'baseMs');
      ok = false;
    }
    if (complete.retryAfterCapMs < MIN_RETRY_AFTER_CAP_MS) {
      report(`retryAfter.capMs must be at least ${MIN_RETRY_AFTER_CAP_MS} ms: the contract honours hints up to 60 s`, 'retryAfter');
      ok = false;
    }
    return ok ? complete : null;
  }
}

function mergeRules(...rules: RetryRuleSpec[]): RetryRuleSpec {
  return rules.reduce<RetryRuleSpec>(
    (merged, rule) => ({ ...merged, ...rule, retryAfter: { ...merged.retryAfter, ...rule.retryAfter } }),
    {},
  );
}

function toSpec(rule: RetryRule): RetryRuleSpec {
  const { retryAfterCapMs, overCap, ...rest } = rule;
  return { ...rest, retryAfter: { capMs: retryAfterCapMs, overCap } };
}

export function partialRule(spec: RetryRuleSpec): Partial<RetryRule> {
  const { retryAfter, ...rest } = spec;
  return {
    ...rest,
    ...(retryAfter?.capMs !== undefined ? { retryAfterCapMs: retryAfter.capMs } : {}),
    ...(retryAfter?.overCap !== undefined ? { overCap: retryAfter.overCap } : {}),
  };
}
