/** Naming in one place: every identifier the package exports is derived here. */

/** `foxapi` → `Foxapi`, `my_api` → `MyApi`. Provider ids are validated identifiers. */
export function pascal(id: string): string {
  return id
    .split('_')
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

export function camel(id: string): string {
  const p = pascal(id);
  return p[0]!.toLowerCase() + p.slice(1);
}

/** The union of a layer's declared codes, e.g. `EvolinkHttpCode`. */
export function codeUnionName(provider: string, layer: 'http' | 'task'): string {
  return `${pascal(provider)}${layer === 'http' ? 'Http' : 'Task'}Code`;
}

/** The list of a layer's declared codes, e.g. `evolinkHttpCodes`. */
export function codeListName(provider: string, layer: 'http' | 'task'): string {
  return `${camel(provider)}${layer === 'http' ? 'Http' : 'Task'}Codes`;
}

/** The provider's narrowed ClassifiedError, e.g. `EvolinkClassifiedError`. */
export function classifiedErrorName(provider: string): string {
  return `${pascal(provider)}ClassifiedError`;
}

/** The validator export name of an envelope, e.g. `validateEvolinkHttpError`. */
export function validatorName(typeName: string): string {
  return `validate${typeName}`;
}

/** ajv's raw validator of an envelope inside its table module, e.g. `checkEvolinkHttpError`. */
export function envelopeCheckName(typeName: string): string {
  return `check${typeName}`;
}

/** The boolean shape check of an envelope inside its table module, e.g. `hasEvolinkHttpErrorShape`. */
export function shapeCheckName(typeName: string): string {
  return `has${typeName}Shape`;
}

/** A category's retry rule as a provider's table names it, e.g. `rateLimitedRetry`. */
export function categoryRuleName(category: string): string {
  return `${camel(category)}Retry`;
}

export function guardName(typeName: string): string {
  return `is${typeName}`;
}

/** The provider's compiled table, e.g. `evolinkTable`. */
export function tableName(provider: string): string {
  return `${camel(provider)}Table`;
}

/** The part of the provider's table that classifying a response reads, e.g. `evolinkResponseTable`. */
export function responseTableName(provider: string): string {
  return `${camel(provider)}ResponseTable`;
}
