/**
 * The shape checks that answer `conforms` must give ajv's verdict on every value: they are
 * checked here against ajv itself, on the shipped envelopes and on schemas that use every
 * keyword they cover, with values built from the schemas' own names and constants.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ajv } from 'ajv';
import { withoutAnnotations } from '../generator/envelopes.js';
import { shapeCheckDeclaration } from '../generator/emit/shape-checks.js';
import { everyItem, isRecord } from '../generator/runtime/body.js';
import { generate } from '../generator/pipeline.js';
import { readFormatSchemas, readRuntimeSources, readSpecDir } from '../generator/load.js';
import { checkDir, diagnosticLines, GENERATED_DIR, MINIMAL_PROVIDER, removeDir, SPEC_DIR, specFolder } from './helpers.js';
import { generatedPackage } from './generic.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Check = (data: unknown) => boolean;

/** The shape check of a schema as a function, in either printed form; null when it has none. */
function shapeCheck(schema: unknown, form: 'body' | 'srcBody' = 'body'): Check | null {
  const declaration = shapeCheckDeclaration('check', 'Envelope', schema, new Set());
  if (declaration === null) return null;
  const body = (form === 'srcBody' ? declaration.srcBody : declaration.body) ?? declaration.body;
  return new Function('isRecord', 'everyItem', `return (data) => { ${body} }`)(isRecord, everyItem) as Check;
}

/** Every property name and constant a schema mentions, so that generated values reach its branches. */
function vocabulary(schema: unknown, names = new Set<string>(), constants: unknown[] = []): { names: string[]; constants: unknown[] } {
  if (Array.isArray(schema)) for (const s of schema) vocabulary(s, names, constants);
  else if (typeof schema === 'object' && schema !== null) {
    for (const [keyword, value] of Object.entries(schema)) {
      if (keyword === 'properties' && typeof value === 'object' && value !== null) for (const name of Object.keys(value)) names.add(name);
      if (keyword === 'required' && Array.isArray(value)) for (const name of value) names.add(String(name));
      if (keyword === 'enum' && Array.isArray(value)) constants.push(...(value as unknown[]));
      if (keyword === 'const') constants.push(value);
      if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].includes(keyword)) constants.push(value, (value as number) - 1, (value as number) + 0.5);
      vocabulary(value, names, constants);
    }
  }
  return { names: [...names], constants };
}

/** Odd values every schema should meet now and then: NaN, Infinity, -0, fractions, empty text. */
const ODD = [null, true, false, 0, -0, 1, 1.5, -3, NaN, Infinity, -Infinity, '', 'error', undefined];

/**
 * Values shaped by a schema, most of them near its shape (its properties, its items, its
 * constants, values of its types) and now and then anything at all, so that every check it
 * makes meets both sides at every depth. JSON-like, with a few hostile extras: NaN, a sparse array.
 */
function valuesFor(schema: unknown, root: unknown = schema, depth = 0, words = vocabulary(root)): fc.Arbitrary<unknown> {
  const { names, constants } = words;
  const anything: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom(...ODD, ...constants),
    fc.string({ maxLength: 3 }),
    fc.dictionary(fc.constantFrom('', ...names), fc.constantFrom(...ODD), { maxKeys: 2 }),
    fc.sparseArray(fc.constantFrom(...ODD), { maxLength: 3 }),
  );
  if (depth > 6 || typeof schema !== 'object' || schema === null) return anything;
  const s = schema as Record<string, unknown>;
  const near: fc.Arbitrary<unknown>[] = [];
  if (typeof s.$ref === 'string') {
    const [, group, name] = s.$ref.split('/');
    near.push(valuesFor((root as Record<string, Record<string, unknown>>)[group!]?.[name!], root, depth + 1, words));
  }
  for (const keyword of ['anyOf', 'allOf', 'oneOf'] as const) {
    if (Array.isArray(s[keyword])) near.push(...(s[keyword] as unknown[]).map((branch) => valuesFor({ ...s, [keyword]: undefined, ...(branch as object) }, root, depth + 1, words)));
  }
  const properties = (s.properties ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(properties), ...((s.required as string[] | undefined) ?? [])])];
  if (keys.length > 0 || s.type === 'object') {
    const shape = Object.fromEntries(keys.map((key) => [key, valuesFor(properties[key] ?? true, root, depth + 1, words)]));
    near.push(fc.record(shape, { requiredKeys: [] }));
  }
  if (s.items !== undefined || s.type === 'array') near.push(fc.array(valuesFor(s.items ?? true, root, depth + 1, words), { maxLength: 3 }));
  const own = [...(Array.isArray(s.enum) ? s.enum : []), ...('const' in s ? [s.const] : [])];
  if (own.length > 0) near.push(fc.constantFrom(...own));
  for (const type of Array.isArray(s.type) ? s.type : [s.type]) {
    if (type === 'string') near.push(fc.string({ maxLength: 3 }));
    if (type === 'integer' || type === 'number') near.push(fc.constantFrom(...constants.filter((c) => typeof c === 'number'), 0, 1, 2.5, 7, NaN, Infinity));
  }
  return near.length === 0 ? anything : fc.oneof({ weight: 1, arbitrary: anything }, { weight: 4, arbitrary: fc.oneof(...near) });
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function agreesWithAjv(schema: object, strict: boolean): void {
  // The package compiles its validators strictly, and strict numbers (no NaN, no Infinity) come with that.
  const ajv = new Ajv({ strict, strictNumbers: true, allowUnionTypes: true, validateSchema: false });
  const validate = ajv.compile(schema);
  const dotted = shapeCheck(schema);
  const bracketed = shapeCheck(schema, 'srcBody');
  expect(dotted).not.toBeNull();
  fc.assert(
    fc.property(valuesFor(schema), (value) => {
      const expected = validate(value);
      expect(dotted!(value)).toBe(expected);
      expect(bracketed!(value)).toBe(expected);
    }),
    { numRuns: 1000 },
  );
}

describe('shape checks give ajv verdict', () => {
  const checked = checkDir(SPEC_DIR);
  if (checked.model === null) throw new Error(`the shipped spec does not check:\n${diagnosticLines(checked).join('\n')}`);
  const { model } = checked;
  const layers = model.providers.flatMap((p) => [p.http, p.task].flatMap((l) => (l ? [l] : [])));

  it.each(layers.map((l) => [l.typeName, l] as const))('on the shipped %s envelope', (_, layer) => {
    agreesWithAjv(withoutAnnotations(layer.envelope) as object, true);
  });

  it('on the shipped examples of every envelope', () => {
    let compared = 0;
    for (const layer of layers) {
      const schema = withoutAnnotations(layer.envelope) as object;
      const validate = new Ajv({ strict: true, allowUnionTypes: true, validateSchema: false }).compile(schema);
      const check = shapeCheck(schema)!;
      for (const { body } of layer.examples) {
        const parsed = typeof body === 'string' ? parsedOrText(body) : body;
        expect(check(parsed), `${layer.typeName}: ${JSON.stringify(parsed)}`).toBe(validate(parsed));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  const covered: Record<string, object> = {
    'unions, null and numeric bounds': {
      type: 'object',
      required: ['n'],
      properties: {
        n: { type: ['integer', 'null'], minimum: 1, maximum: 5 },
        x: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 2.5 },
        s: { type: ['string', 'number'], maximum: 3 },
      },
    },
    'enum and const of every primitive': {
      type: 'object',
      properties: { e: { enum: ['a', 1, true, null] }, c: { const: 0 }, f: { const: false }, t: { type: 'string', enum: ['error'] } },
    },
    'combinators: allOf, anyOf, oneOf, not': {
      type: 'object',
      allOf: [{ required: ['a'] }, { properties: { a: { type: 'string' } } }],
      anyOf: [{ required: ['b'] }, { required: ['c'] }],
      oneOf: [{ required: ['b'] }, { properties: { d: { type: 'boolean' } }, required: ['d'] }],
      not: { required: ['error'] },
    },
    'oneOf, where both branches often hold': {
      type: 'object',
      oneOf: [{ required: ['b'] }, { properties: { d: { type: 'boolean' } } }],
    },
    'required properties whose schemas have no type': {
      type: 'object',
      required: ['any', 'e'],
      properties: { any: {}, e: { enum: ['a', 1] } },
    },
    'keywords without a type apply to their own type only': {
      properties: { a: { type: 'string' } },
      required: ['a'],
      items: { type: 'integer' },
      minimum: 2,
    },
    'items, nested, with holes and boolean schemas': {
      type: 'array',
      items: { type: 'array', items: { anyOf: [true, { type: 'object', properties: { error: false } }] } },
    },
    'definitions and $defs, followed in place': {
      definitions: { code: { type: 'string', enum: ['error', 'a'] } },
      $defs: { detail: { type: 'object', required: ['error'], properties: { error: { $ref: '#/definitions/code' } } } },
      type: 'object',
      properties: { a: { $ref: '#/$defs/detail' }, b: { type: 'array', items: { $ref: '#/$defs/detail' } } },
    },
    'enum and const together, and values of a type the schema rules out': {
      type: 'object',
      properties: {
        both: { enum: ['a', 'b'], const: 'a' },
        typed: { type: 'string', enum: ['a', 1, null] },
        whole: { type: 'integer', enum: [1, 1.5, 'x'] },
        notThree: { type: 'string', not: { const: 3 } },
      },
    },
    'items that no element can meet': {
      type: 'object',
      properties: { none: { type: 'array', items: false }, untyped: { items: { not: {} } } },
    },
    'a property that is not an identifier': {
      type: 'object',
      required: ['@type', 'a-b'],
      properties: { '@type': { type: 'string' }, 'a-b': { type: 'integer' } },
    },
  };
  it.each(Object.entries(covered))('on %s', (_, schema) => agreesWithAjv(schema, false));

  it('leaves to ajv a schema with a keyword it does not cover, or a recursive definition', () => {
    expect(shapeCheck({ type: 'string', pattern: '^a' })).toBeNull();
    expect(shapeCheck({ type: 'object', additionalProperties: false })).toBeNull();
    expect(shapeCheck({ type: 'array', items: [{ type: 'string' }] })).toBeNull();
    expect(shapeCheck({ enum: [{ a: 1 }] })).toBeNull();
    expect(shapeCheck({ type: 'object', properties: { head: { $ref: '#/definitions/node' } }, definitions: { node: { type: 'object', properties: { next: { $ref: '#/definitions/node' } } } } })).toBeNull();
    expect(shapeCheck({ type: 'object', properties: { a: { $ref: '#/definitions/a', type: 'string' } }, definitions: { a: { type: 'string' } } })).toBeNull();
    // An $id below the root changes what references resolve against; ajv decodes a %-escaped reference.
    expect(shapeCheck({ type: 'object', anyOf: [{ $id: 'inner', type: 'object' }] })).toBeNull();
    expect(shapeCheck({ type: 'object', properties: { a: { $ref: '#/definitions/a%20b' } }, definitions: { 'a b': { type: 'string' } } })).toBeNull();
    expect(shapeCheck({ type: [] })).toBeNull();
    expect(shapeCheck({ type: 'constructor' })).toBeNull();
  });

  it('type-checks under an app\'s strictest settings, as the TypeScript output form prints it', async () => {
    const { Project, ts } = await import('ts-morph');
    const project = new Project({
      useInMemoryFileSystem: true,
      compilerOptions: {
        strict: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        noUncheckedIndexedAccess: true,
        noPropertyAccessFromIndexSignature: true,
        exactOptionalPropertyTypes: true,
        target: ts.ScriptTarget.ES2022,
        lib: ['lib.es2022.d.ts'],
      },
    });
    // Each check in a file of its own, with the helpers it says it calls: one it calls but does not
    // name is missing, one it names but does not call is unused, and either fails the check.
    const helperSources: Record<string, string> = {
      isRecord: 'function isRecord(value: unknown): value is Readonly<Record<string, unknown>> { return typeof value === "object" && value !== null && !Array.isArray(value); }',
      everyItem: 'function everyItem(value: unknown, test: (item: unknown) => boolean): boolean { return !Array.isArray(value) || value.every(test); }',
    };
    const schemas = [...Object.values(covered), ...layers.map((l) => withoutAnnotations(l.envelope))];
    schemas.forEach((schema, i) => {
      const helpers = new Set<string>();
      const declaration = shapeCheckDeclaration('check', 'Envelope', schema, helpers)!;
      project.createSourceFile(`/check${i}.ts`, [...[...helpers].map((h) => helperSources[h]!), `export function check(data: unknown): boolean {\n${declaration.srcBody}\n}`].join('\n'));
    });
    expect(project.formatDiagnosticsWithColorAndContext(project.getPreEmitDiagnostics())).toBe('');
  });

  it("is what the generated tables answer conforms with, and ajv's validator is still what the entries export", () => {
    const table = readFileSync(join(GENERATED_DIR, 'gemini', 'table.js'), 'utf8');
    expect(table).toMatch(/^function hasGeminiHttpErrorShape\(data\) \{$/m);
    expect(table).toMatch(/^ {2}conforms: hasGeminiHttpErrorShape,$/m);
    expect(readFileSync(join(GENERATED_DIR, 'gemini', 'index.js'), 'utf8')).toContain('totalValidator(checkGeminiHttpError)');
  });
});

describe('an envelope with a keyword the shape checks do not cover', () => {
  const made: string[] = [];
  afterAll(() => made.forEach(removeDir));

  it("is checked with ajv's validator, which its table imports, in both output forms", async () => {
    const spec = MINIMAL_PROVIDER.replace('code: { type: string }', () => "code: { type: string, pattern: '^[a-z_]+$' }");
    const { root, output } = await generatedPackage({ 'acme.yaml': spec }, made);
    const table = output.files.find((f) => f.path === 'acme/table.js')!.content;
    expect(table).toContain("import { checkAcmeError } from './validators.js';");
    expect(table).toMatch(/^ {2}conforms: checkAcmeError,$/m);
    expect(root.classifyResponse('acme', { status: 400, body: { error: { code: 'bad_input' } } })).toMatchObject({ conforms: true, known: true });
    expect(root.classifyResponse('acme', { status: 400, body: { error: { code: 'Bad-Input' } } })).toMatchObject({ conforms: false, known: false });
    const dir = specFolder({ 'acme.yaml': spec });
    made.push(dir);
    const typescript = await generate({ sources: readSpecDir(dir, dir), schemas: readFormatSchemas(), runtime: readRuntimeSources(), form: 'typescript' });
    const tableSource = typescript.output!.files.find((f) => f.path === 'acme/table.ts')!.content;
    expect(tableSource).toContain("import { checkAcmeError } from './validators.js';");
    expect(typescript.output!.files.find((f) => f.path === 'acme/validators.ts')!.content).toMatch(/^export const checkAcmeError: EnvelopeValidator<AcmeError> = /m);
  });
});

