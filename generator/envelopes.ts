/**
 * Every envelope schema compiled once per run. The example checker calls the compiled functions;
 * the validator emitter prints the same compilation's standalone code.
 *
 * Each envelope has an ajv instance of its own: ajv numbers the functions and constants it
 * generates (`validate10`, `schema11`) per instance, so a shared instance would renumber every
 * provider's validators whenever an envelope is added before them. Alone, an envelope's code
 * depends on nothing but its schema.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import type { LayerModel, Model } from './model.js';
import { SCHEMA_KEYWORDS, SCHEMA_MAP_KEYWORDS } from './validate/subschemas.js';

/** The name standalone code exports each envelope's validator under. */
export const STANDALONE_EXPORT = 'validate';

export interface CompiledEnvelope {
  readonly validate: ValidateFunction;
  /** ajv's standalone ESM code, exporting the validator as STANDALONE_EXPORT. */
  readonly source: () => string;
}

export interface CompiledEnvelopes {
  /** By envelope title, which is also the type name. */
  readonly validators: ReadonlyMap<string, ValidateFunction>;
  /** ajv's standalone code by envelope title: plain text, so the emit stage needs no ajv. */
  readonly sources: () => Record<string, string>;
}

export function compileEnvelopes(model: Model): CompiledEnvelopes {
  const compiled = new Map<string, CompiledEnvelope>();
  for (const layer of layersOf(model)) compiled.set(layer.typeName, compileEnvelope(layer));
  return {
    validators: new Map([...compiled].map(([name, c]) => [name, c.validate])),
    sources: () => Object.fromEntries([...compiled].map(([name, c]) => [name, c.source()])),
  };
}

function compileEnvelope(layer: LayerModel): CompiledEnvelope {
  // `lines` keeps the generated validators reviewable; allErrors stays off, as it should at run time.
  // The semantic checks have validated every envelope against the meta-schema already; doing it
  // again would compile the meta-schema once per instance, most of this stage's time.
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, validateSchema: false, code: { source: true, esm: true, lines: true } });
  const schema = withoutAnnotations(layer.envelope) as Readonly<Record<string, unknown>>;
  const validate = ajv.compile({ ...schema, $id: layer.typeName });
  return { validate, source: () => standalone.default(ajv, { [STANDALONE_EXPORT]: layer.typeName }) };
}

/** Keywords that describe and never constrain: the types and the reference site carry them. */
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);

/**
 * The schema with its annotations left out at every depth, so that ajv's code, which embeds the
 * schema it was compiled from, carries no prose: smaller validators, which load faster, and an
 * edited description changes the types and the docs, not the validator's code.
 */
export function withoutAnnotations(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutAnnotations);
  if (schema === null || typeof schema !== 'object') return schema;
  // Built from entries, so that a key such as __proto__ stays a key (and strict ajv still rejects it).
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([keyword]) => !ANNOTATIONS.has(keyword))
      .map(([keyword, value]) => [keyword, SCHEMA_KEYWORDS.has(keyword) ? withoutAnnotations(value) : SCHEMA_MAP_KEYWORDS.has(keyword) ? eachSchemaOf(value) : value]),
  );
}

/** A map of names to schemas, each without its annotations; anything else (a list of names) as it is. */
function eachSchemaOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, withoutAnnotations(sub)]));
}

function layersOf(model: Model): LayerModel[] {
  return model.providers.flatMap((p) => [p.http, p.task].filter((l): l is LayerModel => l !== null));
}
