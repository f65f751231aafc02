/**
 * Field paths as spec files write them: dotted property names, with bracketed steps into arrays.
 *
 *   error.type                                                  a property of a property
 *   detail[0].type                                              the first element of an array
 *   error.details[@type=type.googleapis.com/google.rpc.ErrorInfo].reason
 *                                                               the first element whose `@type` is that text
 *   [0].error.message                                           the body itself an array
 *
 * A step's name runs to the next `.` or `[`; a bracket holds an index or `key=value`, where the
 * value runs to the `]` (dots included). Parsing is one pass over the text.
 */
import { pathText } from './runtime/body.js';
import type { FieldPath, PathStep, Place } from './runtime/types.js';

export type ParsedPath = { readonly path: FieldPath } | { readonly problem: string };

/** A header's name, as HTTP allows one (RFC 9110 token characters). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * A place a value is read from: `header:X-Fal-Error-Type` (a response header, any case), or a
 * field path into the body. The header's name keeps its spelling for the docs.
 */
export function parsePlace(text: string): { readonly place: Place } | { readonly problem: string } {
  if (text.startsWith('header:')) {
    const name = text.slice(7).trim();
    return HEADER_NAME.test(name) ? { place: { header: name } } : { problem: `"${name}" is not a header name` };
  }
  const parsed = parseFieldPath(text);
  return 'problem' in parsed ? parsed : { place: { path: parsed.path } };
}

/** A place as spec files write it. */
export function placeText(place: Place): string {
  return 'header' in place ? `header:${place.header}` : pathText(place.path);
}

export function parseFieldPath(text: string): ParsedPath {
  const steps: PathStep[] = [];
  let i = 0;
  // Whether the next thing must be a name (after a `.`), may be one (at the start), or must not be.
  let expectName = true;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '[') {
      const close = text.indexOf(']', i + 1);
      if (close === -1) return { problem: `"[" at ${i + 1} is never closed` };
      const inside = text.slice(i + 1, close);
      const step = selector(inside);
      if (step === null) return { problem: `[${inside}] is neither an index such as [0] nor a match such as [@type=…]` };
      steps.push(step);
      i = close + 1;
      expectName = false;
      if (i < text.length && text[i] !== '.' && text[i] !== '[') return { problem: `"${text[i]}" at ${i + 1} follows "]"; a "." or another "[" must` };
      continue;
    }
    if (c === '.') {
      if (expectName) return { problem: `an empty step at ${i + 1}` };
      expectName = true;
      i++;
      continue;
    }
    if (c === ']') return { problem: `"]" at ${i + 1} closes nothing` };
    if (!expectName) return { problem: `"${c}" at ${i + 1} must follow a "."` };
    let end = i;
    while (end < text.length && text[end] !== '.' && text[end] !== '[' && text[end] !== ']') end++;
    steps.push(text.slice(i, end));
    i = end;
    expectName = false;
  }
  if (steps.length === 0) return { problem: 'it is empty' };
  if (expectName) return { problem: 'it ends with "."' };
  return { path: steps };
}

/** `0` → an index; `key=value` → a match on a field; anything else, null. */
function selector(inside: string): PathStep | null {
  if (/^\d{1,6}$/.test(inside)) return Number(inside);
  const equals = inside.indexOf('=');
  return equals > 0 ? { key: inside.slice(0, equals), equals: inside.slice(equals + 1) } : null;
}

/** The property names a path reads, its match keys included: none may be a name every object has. */
export function namesRead(path: FieldPath): string[] {
  return path.flatMap((step) => (typeof step === 'string' ? [step] : typeof step === 'number' ? [] : [step.key]));
}
