/**
 * Decides whether a regular expression is safe to run on untrusted text, with recheck
 * (https://makenowjust-labs.github.io/recheck/): an automaton-based analysis that proves a regex
 * free of super-linear backtracking, or finds an attack string that makes it backtrack. Only a
 * proof is accepted. A regex recheck can only fuzz (backreferences, lookarounds, large counted
 * repetitions) is rejected too, since fuzzing finds attacks but proves nothing, and so is one it
 * cannot decide in time.
 *
 * The analysis is deterministic for a given regex and recheck version, so verdicts are kept for
 * the life of the process (a `--watch` session, a test run), and those that would come out the
 * same on any machine are offered to a cache between runs (regex-cache.ts): recheck takes
 * 50–500 ms a regex, most of a run. recheck is loaded only when a regex has no verdict yet.
 */
import { createRequire } from 'node:module';
import type { Diagnostics } from 'recheck';

/** The flags generated code compiles message sub-type regexes with (tables.ts). */
export const SUBTYPE_FLAGS = 'i';
/** The flags generated code compiles the patterns that pick a stated wait out of a text with. */
export const WAIT_PATTERN_FLAGS = 'i';
/** The flags ajv compiles envelope `pattern`s and `patternProperties` with (its unicodeRegExp default). */
export const ENVELOPE_FLAGS = 'u';

/** recheck's own limit on one analysis. */
const ANALYSIS_TIMEOUT_MS = 10_000;
/** The limit on the second, automaton-only attempt at a proof. */
const PROOF_TIMEOUT_MS = 5_000;
/** recheck's size limits, raised so that the automaton analysis takes counted repetitions up to 1,000. */
const WIDE_LIMITS = { maxRepeatCount: 1_000, maxNFASize: 100_000, maxPatternSize: 100_000 } as const;
/** How much of an attack string's recipe a diagnostic shows. */
const MAX_ATTACK_SHOWN = 160;

/** Verdicts by `flags/source`: null for a regex proven safe, else why it is refused. */
const verdicts = new Map<string, string | null>();
/** A regex, as `flags/source`, with its verdict. */
export type Verdict = readonly [key: string, verdict: string | null];

/** The verdicts any run would reach again (recheck's proofs and attacks, never a failure to analyse in time), in the order this process reached them. */
const lasting: Verdict[] = [];

/** The lasting verdicts this process has reached: a cache keeps those reached after it was opened. */
export function lastingVerdicts(): readonly Verdict[] {
  return lasting;
}

/** Verdicts a cache kept from an earlier run, with the same recheck and errspec (regex-cache.ts). */
export function rememberVerdicts(known: Iterable<Verdict>): void {
  for (const [key, verdict] of known) verdicts.set(key, verdict);
}

export interface PatternProblem {
  readonly kind: 'invalid' | 'unsafe';
  readonly reason: string;
}

/**
 * Why the regex is invalid or unsafe, or null when it is proven safe. `flags` are those the
 * generated code compiles it with: SUBTYPE_FLAGS or ENVELOPE_FLAGS.
 */
export function patternProblem(source: string, flags: string): PatternProblem | null {
  try {
    new RegExp(source, flags);
  } catch (error) {
    // V8 says "Invalid regular expression: /(x/i: Unterminated group"; the diagnostic names the kind itself.
    return { kind: 'invalid', reason: (error as Error).message.replace(/^Invalid regular expression: /, '') };
  }
  const key = `${flags}/${source}`;
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    const result = analyse(source, flags);
    verdict = judge(result);
    verdicts.set(key, verdict);
    if (!(result instanceof Error) && result.status !== 'unknown') lasting.push([key, verdict]);
  }
  return verdict === null ? null : { kind: 'unsafe', reason: verdict };
}

/**
 * recheck picks its method itself: the automaton analysis (a proof) for most regexes, fuzzing for
 * those past its size limits, such as counted repetitions over 30 (`[0-9a-f]{32}`). Fuzzing finds
 * attacks quickly, so its verdict stands when it finds one; when it finds none, the automaton
 * analysis is tried again with limits wide enough for such counts, to prove the regex safe.
 */
function analyse(source: string, flags: string): Diagnostics | Error {
  try {
    const { checkSync } = createRequire(import.meta.url)('recheck') as typeof import('recheck');
    const first = checkSync(source, flags, { timeout: ANALYSIS_TIMEOUT_MS });
    if (first.status !== 'safe' || first.checker === 'automaton') return first;
    const proof = checkSync(source, flags, { ...WIDE_LIMITS, checker: 'automaton', timeout: PROOF_TIMEOUT_MS });
    return proof.status === 'unknown' && proof.error.kind === 'unsupported' ? first : proof;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function judge(result: Diagnostics | Error): string | null {
  if (result instanceof Error) return `errspec could not analyse it (${result.message})`;
  switch (result.status) {
    case 'safe':
      return result.checker === 'automaton'
        ? null
        : 'recheck cannot prove it safe: only fuzzing applies to it (lookbehinds, some backreferences, counted repetitions over 1,000)';
    case 'vulnerable': {
      const { complexity, attack } = result;
      const cost = complexity.type === 'exponential' ? 'exponential' : `polynomial (degree ${complexity.degree})`;
      return `it can backtrack for ${cost} time, e.g. on the attack string ${shorten(attack.pattern)}`;
    }
    case 'unknown': {
      const { error } = result;
      const why = error.kind === 'timeout' ? 'did not finish in time' : error.kind === 'cancel' ? 'was cancelled' : `failed: ${error.message}`;
      return `recheck's analysis ${why}`;
    }
  }
}

function shorten(text: string): string {
  return text.length <= MAX_ATTACK_SHOWN ? text : `${text.slice(0, MAX_ATTACK_SHOWN)}…`;
}
