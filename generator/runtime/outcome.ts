/** Finding the outcome that applies when no declared code decides. */
import type { CodeEntry, HttpTable, LayerTable, Outcome, Subtype, TaxonomyTable, Vocabulary } from './types.js';

/** The category's default outcome from the taxonomy. */
export function categoryOutcome<V extends Vocabulary>(taxonomy: TaxonomyTable<V>, category: V['category']): Outcome<V> {
  // The generator emits every category, so the fallback only guards hand-built inputs.
  return taxonomy.categories.get(category) ?? (taxonomy.categories.get(taxonomy.statusFallback.otherwise) as Outcome<V>);
}

/**
 * A code's entry: its own, else that of the longest declared prefix it starts with (`SAFETY.INPUT.*`
 * for `SAFETY.INPUT.TEXT`). Most layers declare no prefix, and pay one map lookup.
 */
export function codeEntry<V extends Vocabulary>(layer: LayerTable<V>, code: string): CodeEntry<V> | undefined {
  const entry = layer.codes.get(code);
  if (entry !== undefined || layer.prefixes.length === 0) return entry;
  for (const prefix of layer.prefixes) if (code.startsWith(prefix.slice(0, -1))) return layer.codes.get(prefix);
  return undefined;
}

/** The provider's own status table entry, resolving a code reference. */
export function statusOutcome<V extends Vocabulary>(http: HttpTable<V>, status: number | null): Outcome<V> | undefined {
  if (status === null) return undefined;
  const entry = http.statuses.get(status);
  return typeof entry === 'string' ? http.codes.get(entry) : entry;
}

/** A status entry that stands for a code is that code's entry, sub-types and all. */
export function isCodeEntry<V extends Vocabulary>(outcome: Outcome<V>): outcome is CodeEntry<V> {
  return 'subtypes' in outcome;
}

/** The canonical fallback: exact statuses, then the status class, then `otherwise`. */
export function fallbackOutcome<V extends Vocabulary>(taxonomy: TaxonomyTable<V>, status: number | null): Outcome<V> {
  const { exact, ranges, otherwise } = taxonomy.statusFallback;
  const category = status === null ? otherwise : exact.get(status) ?? ranges.get(Math.floor(status / 100)) ?? otherwise;
  return categoryOutcome(taxonomy, category);
}

/**
 * The first sub-type whose substrings or pattern match the message. The generator admits only
 * patterns proven free of super-linear backtracking, so each test is linear in the message.
 */
export function matchSubtype<V extends Vocabulary>(entry: CodeEntry<V>, message: string | null): Subtype<V> | null {
  if (message === null || entry.subtypes.length === 0) return null;
  const lower = message.toLowerCase();
  for (const subtype of entry.subtypes) {
    for (const needle of subtype.contains) {
      if (lower.includes(needle)) return subtype;
    }
    if (subtype.pattern !== null && subtype.pattern.test(message)) return subtype;
  }
  return null;
}
