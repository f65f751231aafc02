/**
 * Stage 2a, validate against the spec format's JSON Schema. Reports every error of every file,
 * each at the position of the offending node (or key, for unknown and missing fields).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { FormatValidators } from '../build-cache.js';
import type { FileRole, FormatSchemas, LoadedFile } from '../load.js';

export interface SchemaResult {
  readonly diagnostics: Diagnostic[];
  /** JSON pointers of the parts found malformed, so later checks can leave them alone. */
  readonly malformed: string[];
}

export interface SchemaValidator {
  (file: LoadedFile): SchemaResult;
}

/** The ajv instance for the spec format; `npm run build` also prints it as standalone code. */
export function createFormatAjv(schemas: FormatSchemas, options: { source?: boolean } = {}): Ajv {
  // The format's schemas ship with errspec and a test checks them against the meta-schema, so
  // runs skip that check.
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictRequired: false,
    verbose: true,
    validateSchema: false,
    ...(options.source ? { code: { source: true } } : {}),
  });
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  return ajv;
}

/** `precompiled` are the same validators compiled by `npm run build`; without them, ajv compiles now. */
export function createSchemaValidator(schemas: FormatSchemas, precompiled: FormatValidators | null = null): SchemaValidator {
  let validators: Readonly<Record<FileRole, ValidateFunction>>;
  if (precompiled) {
    validators = precompiled;
  } else {
    const ajv = createFormatAjv(schemas);
    const compiled = (role: FileRole): ValidateFunction => ajv.getSchema(String(schemas[role].$id)) as ValidateFunction;
    validators = { provider: compiled('provider'), taxonomy: compiled('taxonomy'), package: compiled('package') };
  }
  return (file) => {
    const validate = validators[file.role];
    if (validate(file.value)) return { diagnostics: [], malformed: [] };
    const errors = simplify(validate.errors ?? []);
    return { diagnostics: errors.map((error) => toDiagnostic(file, error)), malformed: errors.flatMap(malformedPart) };
  };
}

/**
 * ajv reports a failed `oneOf` as one error per branch plus a summary. Keep what a person needs:
 * the deepest errors under a path win over the branch errors at it, and type errors at one path
 * merge into "must be A or B".
 */
function simplify(errors: readonly ErrorObject[]): ErrorObject[] {
  const hasDeeper = (path: string): boolean =>
    errors.some((e) => e.instancePath.startsWith(path + '/') && !isBranchNoise(e));
  const kept = errors.filter((e) => !(isBranchNoise(e) && hasDeeper(e.instancePath)));

  const merged: ErrorObject[] = [];
  const seen = new Set<string>();
  for (const error of kept) {
    const samePath = kept.filter((e) => e.instancePath === error.instancePath);
    if (error.keyword === 'oneOf' && samePath.some((e) => e.keyword !== 'oneOf')) continue;
    if (error.keyword === 'type') {
      // Another error at the same path (a missing field) means the value had a type some branch takes.
      if (samePath.some((e) => e.keyword !== 'type' && e.keyword !== 'oneOf')) continue;
      const types = samePath.filter((e) => e.keyword === 'type').map((e) => String(e.params.type));
      const message = `must be ${[...new Set(types)].join(' or ')}`;
      const key = `${error.instancePath}\0${message}`;
      if (!seen.has(key)) merged.push({ ...error, message });
      seen.add(key);
      continue;
    }
    const key = `${error.instancePath}\0${error.keyword}\0${JSON.stringify(error.params)}`;
    if (!seen.has(key)) merged.push(error);
    seen.add(key);
  }
  return merged;
}

/** The part an error makes unusable: a missing field, a bad key, or the value itself; an unknown field spoils nothing. */
function malformedPart(error: ErrorObject): string[] {
  const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');
  if (error.keyword === 'additionalProperties') return [];
  if (error.keyword === 'required') return [`${error.instancePath}/${escape(String(error.params.missingProperty))}`];
  if (error.propertyName !== undefined) return [`${error.instancePath}/${escape(error.propertyName)}`];
  return [error.instancePath];
}

function isBranchNoise(error: ErrorObject): boolean {
  return error.keyword === 'oneOf' || error.keyword === 'type' || error.keyword === 'required';
}

function toDiagnostic(file: LoadedFile, error: ErrorObject): Diagnostic {
  const path = pointerSegments(error.instancePath);
  let message = describe(error);
  let at = file.locate(path);
  if (error.keyword === 'additionalProperties') {
    at = file.locate([...path, String(error.params.additionalProperty)], 'key');
  } else if (error.keyword === 'required' && path.length > 0) {
    at = file.locate(path, 'key');
  } else if (error.keyword === 'propertyNames' || error.keyword === 'pattern' && error.propertyName !== undefined) {
    at = file.locate([...path, String(error.propertyName ?? error.params.propertyName)], 'key');
  }
  if (path.length > 0 && error.keyword !== 'additionalProperties') {
    message = `${path.join('.')}: ${message}`;
  }
  return diagnostic(at, 'schema', message, file.sourceLine(at));
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const hint = allowed.length > 0 ? ` (expected one of: ${allowed.join(', ')})` : '';
      return `unknown field "${String(params.additionalProperty)}"${hint}`;
    }
    case 'required':
      return `missing required field "${String(params.missingProperty)}"`;
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern': {
      // A pattern alone rarely tells a person what is wanted; the schema's description does.
      const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
      const hint = typeof description === 'string' ? ` (${description.replace(/\.$/, '')})` : '';
      return `${JSON.stringify(error.data)} must match ${String(params.pattern)}${hint}`;
    }
    case 'propertyNames':
      return `invalid key "${String(params.propertyName)}"`;
    case 'oneOf':
      return 'must match exactly one of the allowed forms';
    default:
      return error.message ?? error.keyword;
  }
}

/** A JSON pointer (`/a/b~1c`) as the path segments `locate` takes. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
