/**
 * Every envelope schema compiled once per run, by one ajv instance that keeps the source. The
 * example checker calls the compiled functions; the validator emitter prints the same instance's
 * standalone code.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import { validatorName } from './emit/names.js';
import type { LayerModel, Model } from './model.js';

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

/**
 * ajv's standalone code for each provider's envelopes, by provider id: plain text, so that the emit
 * stage (which may run in a worker) needs no ajv instance.
 */
export function validatorSources(model: Model, envelopes: CompiledEnvelopes): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const provider of model.providers) {
    const layers = [provider.http, provider.task].filter((l): l is LayerModel => l !== null);
    sources[provider.id] = standalone.default(envelopes.ajv, Object.fromEntries(layers.map((l) => [validatorName(l.typeName), l.typeName])));
  }
  return sources;
}
