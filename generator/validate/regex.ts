/**
 * Decides whether a message pattern is safe to run on untrusted text. JavaScript regexes
 * backtrack, so a pattern is accepted only when it cannot: no backreferences, and no quantified
 * group that itself contains a quantifier or an alternation (star height 1, the classic
 * `(a+)+` and `(a|a)*` shapes). Conservative on purpose: a rejected pattern can always be written
 * as substrings instead.
 */

/** A reason the pattern is unsafe or invalid, or null when it is safe. */
export function unsafePatternReason(source: string): string | null {
  try {
    new RegExp(source, 'i');
  } catch (error) {
    return `invalid regular expression: ${(error as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(source)) return 'backreferences can take exponential time; use substrings instead';

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
      if (isRepeating(source.slice(i, i + quantifierLength))) (stack[stack.length - 1] as Group).quantified = true;
      i += quantifierLength;
      continue;
    }
    i++;
  }
  return null;
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
