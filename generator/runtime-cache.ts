/**
 * The compiled runtime is a pure function of errspec's own sources and of the TypeScript version,
 * never of a user's spec. `npm run build` stores it in dist/, so that a run need not warm up the
 * TypeScript transpiler (a quarter of a cold run). The key covers every generator source, so a
 * stale entry is never used: a run then compiles the runtime itself, to the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { OutputFile } from './emit/output.js';
import { PACKAGE_ROOT } from './paths.js';

export interface RuntimeCache {
  readonly key: string;
  readonly files: readonly OutputFile[];
}

const CACHE_FILE = join(PACKAGE_ROOT, 'dist', 'runtime-cache.json');

/** A fingerprint of every generator source; part of the cache key. */
export function readGeneratorFingerprint(): string {
  const hash = createHash('sha256');
  const dir = join(PACKAGE_ROOT, 'generator');
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const file of files) hash.update(relative(dir, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

export function runtimeCacheKey(fingerprint: string, typescriptVersion: string): string {
  return `${typescriptVersion}:${fingerprint}`;
}

export function readRuntimeCache(): RuntimeCache | null {
  if (!existsSync(CACHE_FILE)) return null;
  try {
    return JSON.parse(readFileSync(CACHE_FILE, 'utf8')) as RuntimeCache;
  } catch {
    return null;
  }
}

export function writeRuntimeCache(cache: RuntimeCache): void {
  writeFileSync(CACHE_FILE, JSON.stringify(cache));
}
