import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { readFormatSchemas } from '../../generator/load.js';

describe('the spec format schemas', () => {
  // The validator skips this check on every run for speed, so it is made here once.
  it.each(['provider', 'taxonomy'] as const)('%s.schema.json is a valid draft-07 schema', (name) => {
    const ajv = new Ajv({ strict: true, strictRequired: false });
    const schemas = readFormatSchemas();
    ajv.addSchema(schemas.provider, undefined, undefined, false);
    ajv.addSchema(schemas.taxonomy, undefined, undefined, false);
    expect(ajv.validateSchema(schemas[name]), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.getSchema(String(schemas[name].$id))).not.toThrow();
  });
});
