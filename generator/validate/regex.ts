/**
 * Decides whether a pattern is safe to run on untrusted text. JavaScript regexes backtrack, so a
 * pattern is accepted only when its work is bounded: no backreferences; no quantified group that
 * itself contains a quantifier or an alternation (the exponential `(a+)+` and `(a|a)*` shapes);
 * and at most one unbounded repetition (`*`, `+`, `{n,}`, or a range over 64), since two in a row
 * (`\s*\s*x`) make a search polynomial. One repetition costs at most the square of the text it
 * searches, which the runtime bounds for message patterns (outcome.ts); envelope patterns, which
 * ajv runs on whole values, must also be anchored with `^` so they are tried at one position only.
 * Conservative on purpose: a rejected pattern can be written as substrings instead.
 */

/** The widest bounded repetition treated as bounded; wider ones count as unbounded. */
const MAX_BOUNDED_RANGE = 64;

/** A reason the pattern is unsafe or invalid, or null when it is safe. */
export function unsafePatternReason(source: string, { anchored = false } = {}): string | null {
  try {
    new RegExp(source, anchored ? 'u' : 'i');
  } catch (error) {
    return `invalid regular expression: ${(error as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(source)) return 'backreferences can take exponential time; use substrings instead';
  if (anchored && !source.startsWith('^')) return 'an envelope pattern must start with ^, so it is tried at one position only';
  let unbounded = 0;

  interface Group {
    quantified: boolean;
    alternation: boolean;
  }
  const stack: Group[] = [{ quantified: false, alternation: false }];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === '[') {
      i = skipClass(source, i);
      continue;
    }
    if (ch === '(') {
      stack.push({ quantified: false, alternation: false });
      i += source[i + 1] === '?' ? 3 : 1;
      continue;
    }
    if (ch === '|') {
      (stack[stack.length - 1] as Group).alternation = true;
      i++;
      continue;
    }
    if (ch === ')') {
      const inner = stack.pop() ?? { quantified: false, alternation: false };
      i++;
      const quantifierLength = quantifierAt(source, i);
      if (quantifierLength > 0 && isUnbounded(source.slice(i, i + quantifierLength))) unbounded++;
      if (quantifierLength > 0 && isRepeating(source.slice(i, i + quantifierLength))) {
        if (inner.quantified) return 'a quantified group contains a quantifier (nested repetition backtracks)';
        if (inner.alternation) return 'a quantified group contains an alternation (overlapping choices backtrack)';
      }
      const parent = stack[stack.length - 1] as Group;
      parent.quantified ||= inner.quantified || (quantifierLength > 0 && isRepeating(source.slice(i, i + quantifierLength)));
      i += quantifierLength;
      continue;
    }
    const quantifierLength = quantifierAt(source, i);
    if (quantifierLength > 0) {
      if (isUnbounded(source.slice(i, i + quantifierLength))) unbounded++;
      if (isRepeating(source.slice(i, i + quantifierLength))) (stack[stack.length - 1] as Group).quantified = true;
      i += quantifierLength;
      continue;
    }
    i++;
  }
  if (unbounded > 1) return `${unbounded} unbounded repetitions (*, +, {n,}) make a search polynomial; keep one, or use substrings`;
  return null;
}

function isUnbounded(quantifier: string): boolean {
  if (quantifier.startsWith('*') || quantifier.startsWith('+')) return true;
  const range = /^\{(\d+)(?:,(\d*))?\}/.exec(quantifier);
  if (!range || range[2] === undefined) return false;
  return range[2] === '' || Number(range[2]) - Number(range[1]) > MAX_BOUNDED_RANGE;
}

function skipClass(source: string, start: number): number {
  let i = start + 1;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** The length of a quantifier starting at i (with a lazy `?`), or 0. */
function quantifierAt(source: string, i: number): number {
  const ch = source[i];
  let length = 0;
  if (ch === '*' || ch === '+' || ch === '?') length = 1;
  else if (ch === '{') {
    const match = /^\{\d+(,\d*)?\}/.exec(source.slice(i));
    if (match) length = match[0].length;
  }
  if (length > 0 && source[i + length] === '?') length++;
  return length;
}

/** `?` and `{n}` match a bounded number of times; the rest can repeat without bound or widely. */
function isRepeating(quantifier: string): boolean {
  if (quantifier.startsWith('?')) return false;
  const bounded = /^\{(\d+)(?:,(\d*))?\}/.exec(quantifier);
  if (bounded) return bounded[2] === undefined ? false : bounded[2] === '' || Number(bounded[2]) > Number(bounded[1]);
  return true;
}
