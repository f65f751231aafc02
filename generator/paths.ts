/**
 * Where errspec's own files are: the spec format's schemas and the runtime sources. The
 * generator runs from `generator/` (through tsx) or from its build in `dist/generator/`, so the
 * package root is found by walking up to errspec's package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'errspec') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find errspec's package.json above ${start}`);
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
/**
 * A checkout of errspec's repository has the generator's TypeScript sources; the published
 * package ships only their build, the runtime's sources and the format (package.json `files`).
 */
export const IS_SOURCE_CHECKOUT = existsSync(join(PACKAGE_ROOT, 'generator', 'cli.ts'));
export const FORMAT_SCHEMA_DIR = join(PACKAGE_ROOT, 'spec', 'schema');
/** The canonical taxonomy, used by a spec folder that has no taxonomy.yaml of its own. */
export const CANONICAL_TAXONOMY = join(PACKAGE_ROOT, 'spec', 'taxonomy.yaml');
/** The classifier runtime and the executor, each shipped as one module of the package. */
export const RUNTIME_SOURCE_DIRS: readonly string[] = [join(PACKAGE_ROOT, 'generator', 'runtime'), join(PACKAGE_ROOT, 'generator', 'executor')];

/** A path as messages show it: relative to `cwd` when inside it, else as given. */
export function displayPath(path: string, cwd: string): string {
  const near = relative(cwd, path);
  return near === '' ? '.' : near.startsWith('..') ? path : near;
}
