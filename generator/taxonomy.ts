/**
 * Which taxonomy a spec maps onto. errspec's canonical taxonomy is read beside every spec folder
 * (load.ts); a folder without a taxonomy file uses it as it is, a taxonomy file that stands alone
 * replaces it, and one that says `extends: errspec` is laid over it: its maps are merged key by key,
 * at every depth (a category's retry rule can change one number), and any other value, a list
 * included, replaces the canonical one. Positions stay true: a value the spec folder's file holds
 * is found there, any other in the canonical file.
 */
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { LoadedFile } from './load.js';

/** The one taxonomy a taxonomy file may extend. */
export const CANONICAL_NAME = 'errspec';

export function chooseTaxonomy(files: readonly LoadedFile[]): { files: LoadedFile[]; diagnostics: Diagnostic[] } {
  const canonical = files.find((f) => f.canonical);
  const own = files.find((f) => f.role === 'taxonomy' && !f.canonical);
  if (!canonical || !own) return { files: [...files], diagnostics: [] };
  const others = files.filter((f) => f !== canonical);
  if (!isObject(own.value) || !('extends' in own.value)) return { files: others, diagnostics: [] };

  const at = own.locate(['extends']);
  const problem = (message: string): { files: LoadedFile[]; diagnostics: Diagnostic[] } => ({
    files: others.filter((f) => f !== own),
    diagnostics: [diagnostic(at, 'schema', message, own.sourceLine(at))],
  });
  if (own.value.extends !== CANONICAL_NAME) return problem(`extends must be '${CANONICAL_NAME}' (errspec's canonical taxonomy), the only taxonomy that can be extended`);
  // Format 1 read maxAttempts otherwise; merged onto today's values it would change the canonical ones too.
  if (own.value.format !== 2) return problem('extends needs format: 2 (an older format cannot be laid over the canonical taxonomy)');
  const { extends: _extends, ...changes } = own.value;
  return { files: others.map((f) => (f === own ? laidOver(own, canonical, changes) : f)), diagnostics: [] };
}

function laidOver(own: LoadedFile, canonical: LoadedFile, changes: Record<string, unknown>): LoadedFile {
  return {
    ...own,
    value: merge(canonical.value, changes),
    locate: (path, at) => (own.contains(path) ? own.locate(path, at) : canonical.locate(path, at)),
    sourceLine: (position) => (position.file === canonical.path ? canonical.lineText(position.line) : own.lineText(position.line)),
    contains: (path) => own.contains(path) || canonical.contains(path),
    canonicalBase: canonical.text,
  };
}

/** `over` laid on `base`: objects merged key by key, anything else replaced. */
export function merge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  // Built from entries, so that a key such as __proto__ stays a key.
  const keys = [...new Set([...Object.keys(base), ...Object.keys(over)])];
  return Object.fromEntries(keys.map((key) => [key, !Object.hasOwn(over, key) ? base[key] : Object.hasOwn(base, key) ? merge(base[key], over[key]) : over[key]]));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
