/**
 * Envelope validators that never throw. ajv's generated code reads the value it checks, so a
 * proxy with throwing traps or a throwing getter makes it throw; the package's exported
 * validators report such a value as not matching instead.
 */
import type { EnvelopeValidator, ValidationError } from './types.js';

export function totalValidator<T>(check: EnvelopeValidator<T>): EnvelopeValidator<T> {
  const validate = ((data: unknown): data is T => {
    try {
      const ok = check(data);
      validate.errors = ok ? null : check.errors ?? null;
      return ok;
    } catch (thrown) {
      validate.errors = [unreadable(thrown)];
      return false;
    }
  }) as EnvelopeValidator<T>;
  validate.errors = null;
  return validate;
}

function unreadable(thrown: unknown): ValidationError {
  let reason = 'reading it threw';
  try {
    if (thrown instanceof Error && typeof thrown.message === 'string') reason = `reading it threw: ${thrown.message}`;
  } catch {
    // A hostile error object keeps the generic reason.
  }
  return { instancePath: '', schemaPath: '#', keyword: 'unreadable', params: {}, message: `the value cannot be checked: ${reason}` };
}
