import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { dirname, join, relative } from 'node:path';
import { withoutAnnotations } from '../generator/envelopes.js';
import { providerIds } from '../generated/index.js';
import { GENERATED_DIR } from './helpers.js';

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

  it('keeps values that only look like annotations: const and enum objects, lists of names, tuples, definitions', () => {
    const schema = {
      $defs: { code: { type: 'string', description: 'gone' } },
      type: 'object',
      properties: {
        kind: { const: { description: 'kept: a value, not an annotation' } },
        level: { enum: [{ title: 'kept' }, 'low'] },
        pair: { type: 'array', items: [{ type: 'string', description: 'gone' }, { $ref: '#/$defs/code' }] },
      },
      dependencies: { kind: ['level'], level: { required: ['pair'], description: 'gone' } },
    };
    // JSON.parse (as the YAML loader) makes __proto__ an own key; it must stay one, for ajv to reject.
    const parsed = JSON.parse(JSON.stringify(schema).replace(/^\{/, '{"__proto__":{"type":"null"},')) as object;
    const stripped = withoutAnnotations(parsed) as Record<string, unknown>;
    expect(Object.hasOwn(stripped, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(stripped)).toBe(Object.prototype);
    expect(stripped).toMatchObject({
      $defs: { code: { type: 'string' } },
      properties: { kind: { const: { description: 'kept: a value, not an annotation' } }, level: { enum: [{ title: 'kept' }, 'low'] }, pair: { items: [{ type: 'string' }, { $ref: '#/$defs/code' }] } },
      dependencies: { kind: ['level'], level: { required: ['pair'] } },
    });
    expect(JSON.stringify(stripped)).not.toContain('gone');
  });

  it.each(providerIds)("%s: the generated validators embed no descriptions", (id) => {
    const validators = readFileSync(join(GENERATED_DIR, id, 'validators.js'), 'utf8');
    const schemas = [...validators.matchAll(/const schema\d+ = (\{.*\});/g)].map((m) => m[1]!);
    expect(schemas.length).toBeGreaterThan(0);
    for (const schema of schemas) expect(schema).not.toMatch(/"(description|title)":"/);
  });
});

describe("ajv's validators live in a module of each provider's own", () => {
  /** Every module a module imports statically, and theirs. */
  const importsOf = (file: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gm)) importsOf(join(dirname(file), spec!), seen);
    return seen;
  };

  it('which the package root never loads, its tables checking shapes instead', () => {
    const loaded = [...importsOf(join(GENERATED_DIR, 'index.js'))].map((f) => relative(GENERATED_DIR, f));
    expect(loaded).toContain(join('gemini', 'table.js'));
    expect(loaded.filter((f) => f.endsWith('validators.js'))).toEqual([]);
  });

  it("and which a provider's entry loads, for its validate… and is… exports", () => {
    expect([...importsOf(join(GENERATED_DIR, 'gemini', 'index.js'))].map((f) => relative(GENERATED_DIR, f))).toContain(join('gemini', 'validators.js'));
  });
});
