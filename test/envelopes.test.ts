import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { withoutAnnotations } from '../generator/envelopes.js';

describe('validators are compiled from the envelope without its annotations', () => {
  const envelope = {
    title: 'Body',
    description: 'prose the validator does not need',
    type: 'object',
    required: ['description', 'title'],
    properties: {
      description: { type: 'string', description: 'a property named like an annotation stays' },
      title: { type: 'string', examples: ['x'], default: 'y' },
      items: { type: 'array', items: { type: 'integer', $comment: 'gone' } },
      either: { anyOf: [{ type: 'string', title: 'gone' }, { type: 'null' }] },
    },
    patternProperties: { '^x-': { type: 'string', description: 'gone' } },
  };

  it('leaves out annotations at every depth and keeps every constraint, even on properties named like annotations', () => {
    expect(withoutAnnotations(envelope)).toEqual({
      type: 'object',
      required: ['description', 'title'],
      properties: {
        description: { type: 'string' },
        title: { type: 'string' },
        items: { type: 'array', items: { type: 'integer' } },
        either: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      },
      patternProperties: { '^x-': { type: 'string' } },
    });
    const validate = new Ajv({ allowUnionTypes: true }).compile(withoutAnnotations(envelope) as object);
    expect(validate({ description: 'd', title: 't' })).toBe(true);
    expect(validate({ description: 1, title: 't' })).toBe(false);
    expect(validate({ title: 't' })).toBe(false);
    expect(validate({ description: 'd', title: 't', 'x-a': 1 })).toBe(false);
  });

  it('the generated validators embed no descriptions', () => {
    const table = readFileSync(new URL('../generated/openai/table.js', import.meta.url), 'utf8');
    const schemas = [...table.matchAll(/const schema\d+ = (\{.*\});/g)].map((m) => m[1]!);
    expect(schemas.length).toBeGreaterThan(0);
    for (const schema of schemas) expect(schema).not.toMatch(/"(description|title)":"/);
  });
});
