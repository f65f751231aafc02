import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { readFormatSchemas } from '../../generator/load.js';

describe('the spec format schemas', () => {
  // The validator skips this check on every run for speed, so it is made here once.
  it.each(['provider', 'taxonomy', 'package'] as const)('%s.schema.json is a valid draft-07 schema', (name) => {
    const ajv = new Ajv({ strict: true, strictRequired: false });
    const schemas = readFormatSchemas();
    for (const schema of Object.values(schemas)) ajv.addSchema(schema, undefined, undefined, false);
    expect(ajv.validateSchema(schemas[name]), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.getSchema(String(schemas[name].$id))).not.toThrow();
  });
});
