/**
 * A usage error naming each key of `options` that is not among `keys`; `where` names the object.
 * The executor's options and the limiter's are checked with the same words.
 */
export function rejectUnknownKeys(options: object, keys: readonly string[], where = ''): void {
  const unknown = Object.keys(options).filter((key) => !keys.includes(key));
  if (unknown.length > 0) throw new TypeError(`${where}unknown option ${unknown.map((k) => `'${k}'`).join(', ')}; the options are ${keys.join(', ')}`);
}
