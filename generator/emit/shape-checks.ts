/**
 * Shape checks: for each envelope, a function that answers only what the classifiers ask of it,
 * whether a parsed body conforms (`conforms`). ajv's standalone code answers the same question
 * but builds an error report on the way, which costs bytes in every bundle that classifies and
 * time on every call; the provider's entry keeps ajv's validator for callers who want the report.
 *
 * The check is ajv's verdict, keyword for keyword, for the keywords an envelope uses (types,
 * properties, required, items, enum, const, the combinators, numeric bounds, references to the
 * root's definitions). A schema with any other keyword gets no shape check, and the table keeps
 * ajv's validator for `conforms`. Like ajv's code, a check reads each property as it goes: a body
 * whose getters answer differently from one read to the next (not JSON) may be judged otherwise.
 */
import { quote } from './literal.js';
import type { Declaration } from './module.js';

/** A condition as a tree, so that the printed check breaks its lines where its structure does. */
type Condition =
  | string
  /** A test that calls a runtime helper, which the table module must then import. */
  | { readonly helper: string; readonly text: string }
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  /** Exactly one of them. */
  | { readonly one: readonly Condition[] }
  | { readonly not: Condition }
  /** Every element of the array `value`, named `item` in `test`. */
  | { readonly every: string; readonly item: string; readonly test: Condition };

const TRUE = 'true';
const FALSE = 'false';

/** Keywords a schema may hold and still get a shape check; `$id` names the root and constrains nothing. */
const CHECKED = new Set(['type', 'properties', 'required', 'items', 'enum', 'const', 'anyOf', 'allOf', 'oneOf', 'not', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', '$id', 'definitions', '$defs']);

/** A reference to a definition of the root schema, the only kind a shape check follows. */
const LOCAL_REF = /^#\/(definitions|\$defs)\/([^/~%]+)$/;

/** Conditions a shape check may hold at most: definitions that refer to each other can multiply as they are put in place. */
const MAX_CONDITIONS = 10_000;

/** How a value of each JSON type is recognised, exactly as ajv's generated code does. */
const TYPE_TESTS: Readonly<Record<string, (value: string) => Condition>> = {
  object: (v) => ({ helper: 'isRecord', text: `isRecord(${v})` }),
  array: (v) => `Array.isArray(${v})`,
  string: (v) => `typeof ${v} === 'string'`,
  // ajv: typeof number, and finite; an integer has no fraction either. The typeof is for TypeScript's narrowing.
  number: (v) => ({ all: [`typeof ${v} === 'number'`, `Number.isFinite(${v})`] }),
  integer: (v) => ({ all: [`typeof ${v} === 'number'`, `Number.isInteger(${v})`] }),
  boolean: (v) => `typeof ${v} === 'boolean'`,
  null: (v) => `${v} === null`,
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** What printing needs to know: how a property is read (the TypeScript output form wants brackets), and the root's definitions. */
interface Printing {
  readonly access: (value: string, key: string) => string;
  readonly root: Readonly<Record<string, unknown>>;
  /** The references being followed, so that a recursive definition is left to ajv rather than followed forever. */
  readonly following: ReadonlySet<string>;
  /** Schemas still to be turned into conditions before the check gives up (MAX_CONDITIONS). */
  readonly budget: { left: number };
}

/**
 * The envelope's shape check as a declaration of its table module, or null when the schema uses a
 * keyword the shape checks do not cover. `helpers` collects the runtime helpers it calls.
 */
export function shapeCheckDeclaration(name: string, typeName: string, schema: unknown, helpers: Set<string>): Extract<Declaration, { kind: 'function' }> | null {
  const root = typeof schema === 'object' && schema !== null ? (schema as Readonly<Record<string, unknown>>) : {};
  const printing = (access: Printing['access']): Printing => ({ access, root, following: new Set(), budget: { left: MAX_CONDITIONS } });
  const dotted = conditionOf(schema, 'data', 0, printing((v, key) => (IDENTIFIER.test(key) ? `${v}.${key}` : `${v}[${quote(key)}]`)));
  const bracketed = conditionOf(schema, 'data', 0, printing((v, key) => `${v}[${quote(key)}]`));
  if (dotted === null || bracketed === null) return null;
  collectHelpers(dotted, helpers);
  return {
    kind: 'function',
    exported: false,
    name,
    parameters: [{ name: 'data', type: 'unknown' }],
    returnType: 'boolean',
    body: `return ${printCondition(dotted, '')};`,
    srcBody: `return ${printCondition(bracketed, '')};`,
    docs: `Whether a parsed body has the ${typeName} envelope's shape: ajv's verdict, without the error report that ${`validate${typeName}`} builds.`,
  };
}

/** The condition a value (the expression `value`) meets when it is valid against `schema`; null if a keyword is not covered. */
function conditionOf(schema: unknown, value: string, depth: number, printing: Printing, known: readonly string[] | null = null): Condition | null {
  if (schema === true) return TRUE;
  if (schema === false) return FALSE;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return null;
  if (--printing.budget.left < 0) return null;
  const s = schema as Readonly<Record<string, unknown>>;
  if (s.$ref !== undefined) return referenced(s, value, depth, printing, known);
  if (Object.keys(s).some((keyword) => !CHECKED.has(keyword))) return null;
  // Below the root, an `$id` would change what references resolve against.
  if ((s.$id !== undefined || s.definitions !== undefined || s.$defs !== undefined) && s !== printing.root) return null;

  const types = s.type === undefined ? null : Array.isArray(s.type) ? s.type : [s.type];
  if (types !== null && (types.length === 0 || !types.every((t): t is string => typeof t === 'string' && Object.hasOwn(TYPE_TESTS, t)))) return null;
  const parts: Condition[] = [];
  // A type the enclosing schema has tested already (a branch of anyOf under `type: object`) is not tested again.
  if (types !== null && !(known !== null && known.every((t) => types.includes(t)))) parts.push(any(types.map((t) => TYPE_TESTS[t]!(value))));
  const typesNow = types ?? known;

  // Each other keyword applies to values of its own type only, as in JSON Schema: a string has no properties.
  const objectParts = objectConditions(s, value, depth, printing);
  const arrayParts = arrayConditions(s, value, depth, printing);
  const numberParts = numberConditions(s, value);
  if (objectParts === null || arrayParts === null || numberParts === null) return null;
  parts.push(...onlyFor(typesNow, 'object', { helper: 'isRecord', text: `!isRecord(${value})` }, objectParts));
  parts.push(...onlyFor(typesNow, 'array', `!Array.isArray(${value})`, arrayParts));
  parts.push(...onlyForNumbers(typesNow, value, numberParts));

  // enum and const both hold when both are there. A value of a type the schema rules out is left
  // out: it cannot match, and TypeScript rejects comparing a narrowed value with it.
  for (const values of [s.enum, s.const === undefined ? undefined : [s.const]]) {
    if (values === undefined) continue;
    if (!Array.isArray(values) || !values.every(isPrimitive)) return null;
    const possible = typesNow === null ? values : values.filter((v) => typesNow.some((t) => ofType(v, t)));
    parts.push(any(possible.map((v) => `${value} === ${primitive(v)}`)));
  }

  for (const [keyword, combine] of [['allOf', all], ['anyOf', any], ['oneOf', one]] as const) {
    if (s[keyword] === undefined) continue;
    const branches = subschemas(s[keyword], value, depth, printing, typesNow);
    if (branches === null) return null;
    parts.push(combine(branches));
  }
  if (s.not !== undefined) {
    const negated = conditionOf(s.not, value, depth, printing, typesNow);
    if (negated === null) return null;
    parts.push(negated === TRUE ? FALSE : negated === FALSE ? TRUE : { not: negated });
  }
  return all(parts);
}

/** A `$ref` alone (siblings would need a draft's rules) to a root definition: that definition's condition, in place. */
function referenced(s: Readonly<Record<string, unknown>>, value: string, depth: number, printing: Printing, known: readonly string[] | null): Condition | null {
  const target = resolve(s, printing);
  if (target === undefined || printing.following.has(s.$ref as string)) return null;
  return conditionOf(target, value, depth, { ...printing, following: new Set([...printing.following, s.$ref as string]) }, known);
}

/** The definition a schema that is only a `$ref` names; undefined for anything else. */
function resolve(s: Readonly<Record<string, unknown>>, printing: Printing): unknown {
  const match = typeof s.$ref === 'string' && Object.keys(s).length === 1 ? LOCAL_REF.exec(s.$ref) : null;
  if (match === null) return undefined;
  const definitions = printing.root[match[1]!];
  if (typeof definitions !== 'object' || definitions === null || !Object.hasOwn(definitions, match[2]!)) return undefined;
  return (definitions as Record<string, unknown>)[match[2]!];
}

function objectConditions(s: Readonly<Record<string, unknown>>, value: string, depth: number, printing: Printing): Condition[] | null {
  const parts: Condition[] = [];
  const required = s.required === undefined ? [] : s.required;
  if (!Array.isArray(required) || !required.every((r): r is string => typeof r === 'string')) return null;
  const properties = s.properties === undefined ? {} : s.properties;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return null;
  for (const key of required) if (!Object.hasOwn(properties, key)) parts.push(`${printing.access(value, key)} !== undefined`);
  for (const [key, sub] of Object.entries(properties as Record<string, unknown>)) {
    const property = printing.access(value, key);
    const condition = conditionOf(sub, property, depth + 1, printing);
    if (condition === null) return null;
    // A type test fails on undefined, so a required and typed property needs no test of its own.
    const target = typeof sub === 'object' && sub !== null ? ((sub as Record<string, unknown>).$ref === undefined ? sub : resolve(sub as Record<string, unknown>, printing)) : undefined;
    const typed = typeof target === 'object' && target !== null && (target as Record<string, unknown>).type !== undefined;
    if (required.includes(key)) parts.push(typed ? condition : all([`${property} !== undefined`, condition]));
    else if (condition !== TRUE) parts.push(any([`${property} === undefined`, condition]));
  }
  return parts;
}

function arrayConditions(s: Readonly<Record<string, unknown>>, value: string, depth: number, printing: Printing): Condition[] | null {
  if (s.items === undefined) return [];
  // A list of schemas (a tuple) is not covered.
  if (Array.isArray(s.items)) return null;
  const item = depth === 0 ? 'item' : `item${depth}`;
  const condition = conditionOf(s.items, item, depth + 1, printing);
  if (condition === null) return null;
  if (condition === TRUE) return [];
  // No element can be valid: only the empty array is (and a test that ignores its item is an unused parameter).
  if (condition === FALSE) return [`${value}.length === 0`];
  return [{ every: value, item, test: condition }];
}

function numberConditions(s: Readonly<Record<string, unknown>>, value: string): Condition[] | null {
  const parts: Condition[] = [];
  for (const [keyword, operator] of [['minimum', '>='], ['maximum', '<='], ['exclusiveMinimum', '>'], ['exclusiveMaximum', '<']] as const) {
    const limit = s[keyword];
    if (limit === undefined) continue;
    if (typeof limit !== 'number' || !Number.isFinite(limit)) return null;
    parts.push(`${value} ${operator} ${limit}`);
  }
  return parts;
}

/** Conditions of one type's keywords, met by any value of another type (`otherType` tells one), unless the type list allows no other. */
function onlyFor(types: readonly string[] | null, type: string, otherType: Condition, parts: readonly Condition[]): Condition[] {
  if (parts.length === 0) return [];
  if (only(types, type)) return [...parts];
  return [any([otherType, all(parts)])];
}

function only(types: readonly string[] | null, type: string): boolean {
  return types !== null && types.length === 1 && types[0] === type;
}

/** ajv applies numeric bounds to finite numbers only; `integer` and `number` types make them so. */
function onlyForNumbers(types: readonly string[] | null, value: string, parts: readonly Condition[]): Condition[] {
  if (parts.length === 0) return [];
  if (types !== null && types.every((t) => t === 'number' || t === 'integer')) return [...parts];
  return [any([`typeof ${value} !== 'number'`, `!Number.isFinite(${value})`, all(parts)])];
}

function subschemas(list: unknown, value: string, depth: number, printing: Printing, known: readonly string[] | null): Condition[] | null {
  if (!Array.isArray(list) || list.length === 0) return null;
  const conditions = list.map((sub) => conditionOf(sub, value, depth, printing, known));
  return conditions.every((c): c is Condition => c !== null) ? conditions : null;
}

function all(parts: readonly Condition[]): Condition {
  const kept = parts.flatMap((p) => (typeof p === 'object' && 'all' in p ? p.all : [p])).filter((p) => p !== TRUE);
  if (kept.includes(FALSE)) return FALSE;
  return kept.length === 0 ? TRUE : kept.length === 1 ? kept[0]! : { all: kept };
}

function any(parts: readonly Condition[]): Condition {
  const kept = parts.flatMap((p) => (typeof p === 'object' && 'any' in p ? p.any : [p])).filter((p) => p !== FALSE);
  if (kept.includes(TRUE)) return TRUE;
  return kept.length === 0 ? FALSE : kept.length === 1 ? kept[0]! : { any: kept };
}

function one(parts: readonly Condition[]): Condition {
  return parts.length === 1 ? parts[0]! : { one: parts };
}

/** Whether a primitive is of a JSON Schema type; an integer is a number too. */
function ofType(value: string | number | boolean | null, type: string): boolean {
  if (value === null) return type === 'null';
  if (typeof value === 'number') return type === 'number' || (type === 'integer' && Number.isInteger(value));
  return typeof value === type;
}

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function primitive(value: string | number | boolean | null): string {
  return typeof value === 'string' ? quote(value) : String(value);
}

/** The runtime helpers a condition calls, once what always holds or never does has been folded away. */
function collectHelpers(condition: Condition, helpers: Set<string>): void {
  if (typeof condition === 'string') return;
  if ('helper' in condition) helpers.add(condition.helper);
  else if ('every' in condition) {
    helpers.add('everyItem');
    collectHelpers(condition.test, helpers);
  } else if ('not' in condition) collectHelpers(condition.not, helpers);
  else for (const part of 'all' in condition ? condition.all : 'any' in condition ? condition.any : condition.one) collectHelpers(part, helpers);
}

/** One test a line: a conjunction's parts under each other, a disjunction's in parentheses, indented by depth. */
function printCondition(condition: Condition, indent: string): string {
  if (typeof condition === 'string') return condition;
  if ('helper' in condition) return condition.text;
  const inner = `${indent}  `;
  if ('all' in condition) return condition.all.map((part, i) => (i === 0 ? '' : `\n${inner}&& `) + printPart(part, inner)).join('');
  if ('any' in condition) return condition.any.map((part, i) => (i === 0 ? '' : `\n${inner}|| `) + printPart(part, inner)).join('');
  // Exactly one: the count of branches met, each as 0 or 1.
  if ('one' in condition) return `${condition.one.map((part, i) => (i === 0 ? '' : `\n${inner}+ `) + `(${printCondition(part, inner)} ? 1 : 0)`).join('')} === 1`;
  if ('not' in condition) return `!(${printCondition(condition.not, inner)})`;
  return `everyItem(${condition.every}, (${condition.item}) => ${printCondition(condition.test, inner)})`;
}

function printPart(part: Condition, indent: string): string {
  if (typeof part === 'string' || 'helper' in part || 'every' in part || 'not' in part) return printCondition(part, indent);
  return `(${printCondition(part, indent)})`;
}
