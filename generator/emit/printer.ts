/**
 * ts-morph, loaded once per run and only when emitting. It is CommonJS: `require` loads it about
 * twice as fast as `import()`, which first scans its 9 MB TypeScript bundle for named exports.
 */
import { createRequire } from 'node:module';

export type TsMorph = typeof import('ts-morph');

export function loadTsMorph(): TsMorph {
  return createRequire(import.meta.url)('ts-morph') as TsMorph;
}

/** `\n  | 'a'\n  | 'b'`: one member a line, so a diff shows each added code. */
export function unionType(members: readonly string[]): string {
  return members.length === 0 ? 'never' : members.map((m) => `\n  | ${m}`).join('');
}
