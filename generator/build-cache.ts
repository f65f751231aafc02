/**
 * Work that depends only on errspec itself, never on a user's spec, done once by `npm run build`
 * and stored in dist/: the compiled runtime (which would otherwise warm up the TypeScript
 * transpiler) and the spec format's validators (which would otherwise be compiled by ajv). Each
 * entry is keyed by a fingerprint of every generator source and format schema, so a stale entry
 * is never used: a run then does the work itself, to the same result.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { OutputFile } from './emit/output.js';
import type { FileRole } from './load.js';
import { FORMAT_SCHEMA_DIR, IS_SOURCE_CHECKOUT, PACKAGE_ROOT } from './paths.js';
import { ERRSPEC_VERSION } from './version.js';

export interface RuntimeCache {
  readonly key: string;
  readonly files: readonly OutputFile[];
}

export type FormatValidators = Readonly<Record<FileRole, ValidateFunction>>;

const DIST = join(PACKAGE_ROOT, 'dist');
const RUNTIME_CACHE = join(DIST, 'runtime-cache.json');
const FORMAT_VALIDATORS = join(DIST, 'format-validators.cjs');
const FORMAT_VALIDATORS_KEY = join(DIST, 'format-validators.key');
const FINGERPRINT = join(DIST, 'build-fingerprint');

/**
 * A fingerprint of every generator source, format schema and the ajv version. The published
 * package has no generator sources to hash: its build stored the fingerprint it was made from.
 */
export function readGeneratorFingerprint(): string {
  if (!IS_SOURCE_CHECKOUT) return readFileSync(FINGERPRINT, 'utf8');
  return hashSources();
}

/** Stored by `npm run build`, for the published package (see readGeneratorFingerprint). */
export function writeGeneratorFingerprint(fingerprint: string): void {
  writeFileSync(FINGERPRINT, fingerprint);
}

function hashSources(): string {
  const hash = createHash('sha256');
  const files = [join(PACKAGE_ROOT, 'generator'), FORMAT_SCHEMA_DIR].flatMap((dir) =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(ts|json)$/.test(e.name))
      .map((e) => join(e.parentPath, e.name)),
  );
  for (const file of files.sort()) hash.update(relative(PACKAGE_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  hash.update((createRequire(import.meta.url)('ajv/package.json') as { version: string }).version);
  // Every generated file names errspec's version, the runtime's included.
  hash.update(ERRSPEC_VERSION);
  return hash.digest('hex');
}

/** The runtime depends on the TypeScript version too, which is only known once ts-morph is loaded. */
export function runtimeCacheKey(fingerprint: string, typescriptVersion: string): string {
  return `${typescriptVersion}:${fingerprint}`;
}

export function readRuntimeCache(): RuntimeCache | null {
  try {
    return existsSync(RUNTIME_CACHE) ? (JSON.parse(readFileSync(RUNTIME_CACHE, 'utf8')) as RuntimeCache) : null;
  } catch {
    return null;
  }
}

export function writeRuntimeCache(cache: RuntimeCache): void {
  writeFileSync(RUNTIME_CACHE, JSON.stringify(cache));
}

/** The format validators compiled at build time, or null when absent or built from other sources. */
export function readFormatValidators(fingerprint: string): FormatValidators | null {
  try {
    if (!existsSync(FORMAT_VALIDATORS_KEY) || readFileSync(FORMAT_VALIDATORS_KEY, 'utf8') !== fingerprint) return null;
    return createRequire(import.meta.url)(FORMAT_VALIDATORS) as FormatValidators;
  } catch {
    return null;
  }
}

/** `code` is ajv standalone CommonJS code exporting a validator per file role. */
export function writeFormatValidators(fingerprint: string, code: string): void {
  writeFileSync(FORMAT_VALIDATORS, code);
  writeFileSync(FORMAT_VALIDATORS_KEY, fingerprint);
}
