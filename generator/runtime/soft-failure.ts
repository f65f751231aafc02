/**
 * Failures inside a success: a 2xx response or a completed task whose content says the work
 * failed (Stability's `finish-reason: CONTENT_FILTERED`, Gemini's `finishReason: SAFETY`, a Veo
 * operation done with every video filtered out). Each rule is a list of conditions on the body and
 * the response's headers; the first rule whose conditions all hold names the failure's code.
 */
import { asIdentifier, asText, readPath } from './body.js';
import { headerText, readHeaderValues } from './headers.js';
import { codeEntry } from './outcome.js';
import type { Condition, LayerTable, SoftFailureFound, Vocabulary } from './types.js';

/**
 * The first soft failure that a successful body (parsed, or NOT_JSON/NO_BODY, which no body path
 * reaches) and its headers show; null when they show none. Never throws. The classifiers reach it
 * through the table (`softFailures.find`), never by import.
 */
export function softFailureOf<V extends Vocabulary>(layer: LayerTable<V>, body: unknown, headers: unknown): SoftFailureFound<V> | null {
  const rules = layer.softFailures;
  if (rules === null) return null;
  try {
    const values = rules.headers === null ? null : readHeaderValues(headers, rules.headers);
    for (const rule of rules.rules) {
      let first: unknown;
      let holds = true;
      for (let i = 0; i < rule.when.length && holds; i++) {
        const condition = rule.when[i]!;
        const value = 'header' in condition ? headerText(values, condition.header) : readPath(body, condition.path);
        if (i === 0) first = value;
        holds = meets(condition, value);
      }
      if (!holds) continue;
      // Without a code of its own, the rule's first value is the code (Gemini's finishReason: SAFETY).
      const code = rule.code ?? asIdentifier(first);
      const entry = code === null ? undefined : codeEntry(layer, code);
      if (code === null || entry === undefined) continue;
      return { code, entry, message: rule.message === null ? null : asText(readPath(body, rule.message)) };
    }
  } catch {
    // A hostile body shows no soft failure; the success stands as the status says.
  }
  return null;
}

function meets(condition: Condition, value: unknown): boolean {
  if ('is' in condition) {
    const key = scalarText(value);
    return key !== null && condition.is.has(key);
  }
  if ('above' in condition) {
    const number = typeof value === 'string' && NUMBER.test(value) ? Number(value) : value;
    return typeof number === 'number' && Number.isFinite(number) && number > condition.above;
  }
  return isEmpty(value) === condition.empty;
}

/** A decimal number as a header carries it; anything longer is not one worth reading. */
const NUMBER = /^-?\d{1,20}(?:\.\d{1,20})?$/;

/** A word, a flag or a finite number as text (`true` and "true" are one value); null for anything else. */
function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  return null;
}

/** Absent, null, blank text, an empty array or an object without keys. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') {
    for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) return false;
    return true;
  }
  return false;
}
