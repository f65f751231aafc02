/**
 * The one way spec data becomes code. Strings go through `quote`, comments through `commentText`,
 * so no spec content (quotes, backslashes, `*\/`, backticks, `${}`, line or paragraph separators)
 * can end a literal or a comment early.
 */

/** A single-quoted JavaScript string literal. */
export function quote(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === "'" || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + "'";
}

/** Text safe inside a block comment, on one line. */
export function commentText(value: string): string {
  return value.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/\*\//g, '*\\/').trim();
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export interface LiteralContext {
  /** Objects that print as a name (a shared constant, an imported function). */
  readonly names?: ReadonlyMap<unknown, string>;
  /** Maps that print with explicit type arguments, where inference from the entries is too narrow. */
  readonly mapTypes?: ReadonlyMap<unknown, string>;
}

/** Prints data as an indented TypeScript expression. */
export function printLiteral(value: unknown, context: LiteralContext = {}, indent = ''): string {
  const named = context.names?.get(value);
  if (named !== undefined) return named;
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'boolean':
      return String(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`cannot print the number ${value}`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'object':
      break;
    default:
      throw new Error(`cannot print a ${typeof value}`);
  }
  const inner = indent + '  ';
  const list = (items: readonly string[], open: string, close: string): string =>
    items.length === 0 ? open + close : `${open}\n${items.map((item) => inner + item + ',').join('\n')}\n${indent}${close}`;

  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `[${printLiteral(k, context, inner)}, ${printLiteral(v, context, inner)}]`);
    const types = context.mapTypes?.get(value);
    return `new Map${types === undefined ? '' : `<${types}>`}(${list(entries, '[', ']')})`;
  }
  if (value instanceof Set) {
    const items = [...value].map((v) => printLiteral(v, context, inner));
    return `new Set(${list(items, '[', ']')})`;
  }
  if (value instanceof RegExp) return `new RegExp(${quote(value.source)}, ${quote(value.flags)})`;
  if (Array.isArray(value)) {
    const items = value.map((v) => printLiteral(v, context, inner));
    // Short arrays of scalars read best on one line.
    const flat = `[${items.join(', ')}]`;
    return items.every((item) => !item.includes('\n')) && flat.length <= 80 ? flat : list(items, '[', ']');
  }
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([key, v]) => `${propertyKey(key)}: ${printLiteral(v, context, inner)}`,
  );
  return list(entries, '{', '}');
}

/** `__proto__` must be computed, or the literal would set the prototype instead of a property. */
function propertyKey(key: string): string {
  if (key === '__proto__') return `[${quote(key)}]`;
  return IDENTIFIER.test(key) ? key : quote(key);
}
