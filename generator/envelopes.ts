/**
 * Every envelope schema compiled once per run, by one ajv instance that keeps the source. The
 * example checker calls the compiled functions; the validator emitter prints the same instance's
 * standalone code.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { Model } from './model.js';

export interface CompiledEnvelopes {
  readonly ajv: Ajv;
  /** By envelope title, which is also the type name. */
  readonly validators: ReadonlyMap<string, ValidateFunction>;
}

export function compileEnvelopes(model: Model): CompiledEnvelopes {
  // `lines` keeps the generated validators reviewable; allErrors stays off, as it should at run time.
  const ajv = new Ajv({ strict: true, code: { source: true, esm: true, lines: true } });
  const validators = new Map<string, ValidateFunction>();
  for (const provider of model.providers) {
    for (const layer of [provider.http, provider.task]) {
      if (layer) validators.set(layer.typeName, ajv.compile({ ...layer.envelope, $id: layer.typeName }));
    }
  }
  return { ajv, validators };
}
