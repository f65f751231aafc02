/**
 * recheck's verdicts on a spec's regexes, kept between runs in the project's cache folder
 * (`node_modules/.cache/errspec`, or `$CACHE_DIR/errspec`, found as find-cache-dir finds it for
 * babel-loader, ava and nyc). Proving a regex safe takes recheck 50–500 ms, and the same regexes
 * are checked on every generate, `--check`, validate and diff. The file is keyed by errspec's
 * build and recheck's version, so an upgrade of either starts afresh. A cache that cannot be read
 * or written is no cache: the run analyses the regexes itself, to the same verdicts.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import findCacheDirectory from 'find-cache-dir';
import { lastingVerdicts, rememberVerdicts } from './validate/regex.js';

const CACHE_FILE = 'regex-verdicts.json';

interface CacheFile {
  readonly key: string;
  /** `[flags/source, verdict]`: an array, so that no regex can be a special property name. */
  readonly verdicts: readonly (readonly [string, string | null])[];
}

export interface RegexCache {
  /** Adds to the cache the verdicts this process has reached since it was opened; never throws. */
  save(): void;
}

/**
 * Brings the cached verdicts of the project around `cwd` into this process (regex.ts), and
 * returns what stores the new ones. `fingerprint` is errspec's build (build-cache.ts).
 */
export function openRegexCache(cwd: string, fingerprint: string): RegexCache {
  const folder = cacheFolder(cwd);
  if (folder === null) return { save: () => undefined };
  const file = join(folder, CACHE_FILE);
  const key = `${fingerprint}:recheck ${recheckVersion()}`;
  let kept = new Map(readVerdicts(file, key));
  rememberVerdicts(kept);
  let reached = lastingVerdicts().length;
  return {
    save() {
      const learned = lastingVerdicts().slice(reached);
      if (learned.length === 0) return;
      const verdicts = new Map([...kept, ...learned]);
      if (!writeVerdicts(folder, file, { key, verdicts: [...verdicts] })) return;
      kept = verdicts;
      reached += learned.length;
    },
  };
}

function cacheFolder(cwd: string): string | null {
  try {
    return findCacheDirectory({ name: 'errspec', cwd }) ?? null;
  } catch {
    return null;
  }
}

function recheckVersion(): string {
  try {
    return (createRequire(import.meta.url)('recheck/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function readVerdicts(file: string, key: string): (readonly [string, string | null])[] {
  try {
    const cache = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile>;
    if (cache.key !== key || !Array.isArray(cache.verdicts)) return [];
    return cache.verdicts.filter(
      (entry): entry is [string, string | null] => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && (entry[1] === null || typeof entry[1] === 'string'),
    );
  } catch {
    return [];
  }
}

/** Written whole to a file of its own, then renamed over the cache: a run reading at the same time sees the old file or the new one. */
function writeVerdicts(folder: string, file: string, cache: CacheFile): boolean {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(temporary, `${JSON.stringify(cache)}\n`);
    renameSync(temporary, file);
    return true;
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // A folder that refused the file may refuse its removal too; the file is then not there.
    }
    return false;
  }
}
