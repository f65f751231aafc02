/**
 * Every schema inside a JSON Schema (draft-07, and the later keywords ajv knows), with its path:
 * the positions where keywords mean something. A key named `pattern` or `format` inside `enum`,
 * `default`, `examples` or `const` is data, and a property named `pattern` is a property; neither
 * is reached, while a sub-schema under `definitions` is, whatever its name.
 */
type Path = readonly string[];

/** Keywords whose value is one schema. */
const ONE = ['additionalProperties', 'additionalItems', 'items', 'contains', 'propertyNames', 'if', 'then', 'else', 'not', 'unevaluatedProperties', 'unevaluatedItems'];
/** Keywords whose value is a list of schemas. */
const LIST = ['allOf', 'anyOf', 'oneOf', 'items', 'prefixItems'];
/** Keywords whose value maps names to schemas. */
const MAP = ['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas', 'dependencies'];

/** Keywords whose value is a schema or a list of schemas. */
export const SCHEMA_KEYWORDS: ReadonlySet<string> = new Set([...ONE, ...LIST]);
/** Keywords whose value maps names to schemas (`dependencies` may also list property names). */
export const SCHEMA_MAP_KEYWORDS: ReadonlySet<string> = new Set(MAP);

export function* subschemas(schema: unknown, path: Path = []): Generator<[Path, Readonly<Record<string, unknown>>]> {
  if (!isObject(schema)) return;
  yield [path, schema];
  for (const keyword of ONE) {
    if (isObject(schema[keyword])) yield* subschemas(schema[keyword], [...path, keyword]);
  }
  for (const keyword of LIST) {
    const list = schema[keyword];
    if (Array.isArray(list)) for (const [i, item] of list.entries()) yield* subschemas(item, [...path, keyword, String(i)]);
  }
  for (const keyword of MAP) {
    const map = schema[keyword];
    // `dependencies` may also list property names; only its schemas are walked.
    if (isObject(map)) for (const [name, item] of Object.entries(map)) yield* subschemas(item, [...path, keyword, name]);
  }
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
