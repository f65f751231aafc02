/**
 * recheck's verdicts on a spec's regexes, kept between runs in the project's cache folder
 * (`node_modules/.cache/errspec`, or `$CACHE_DIR/errspec`, found as find-cache-dir finds it for
 * babel-loader, ava and nyc). Proving a regex safe takes recheck 50–500 ms, and the same regexes
 * are checked on every generate, `--check`, validate and diff. Each errspec build and recheck
 * version keeps a file of its own, so an upgrade starts afresh and two versions sharing a folder
 * never discard each other's. A cache that cannot be read or written is no cache: the run
 * analyses the regexes itself, to the same verdicts.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import findCacheDirectory from 'find-cache-dir';
import { lastingVerdicts, rememberVerdicts, type Verdict } from './validate/regex.js';

interface CacheFile {
  readonly key: string;
  /** Pairs, not an object, so that no regex can be a special property name. */
  readonly verdicts: readonly Verdict[];
}

export interface RegexCache {
  /** Adds to the cache the verdicts this process has reached since it was opened; never throws. */
  save(): void;
}

const NO_CACHE: RegexCache = { save: () => undefined };

/**
 * Brings the cached verdicts of the project around `cwd` into this process (regex.ts), and
 * returns what stores the new ones. `fingerprint` is errspec's build (build-cache.ts).
 */
export function openRegexCache(cwd: string, fingerprint: string): RegexCache {
  const folder = cacheFolder(cwd);
  const recheck = recheckVersion();
  if (folder === null || recheck === null) return NO_CACHE;
  const key = `${fingerprint}:recheck ${recheck}`;
  const file = join(folder, `regex-verdicts-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.json`);
  rememberVerdicts(readVerdicts(file, key));
  let reached = lastingVerdicts().length;
  return {
    save() {
      const learned = lastingVerdicts().slice(reached);
      if (learned.length === 0) return;
      // Read again: a run beside this one (a test worker, another package's build) may have added its own.
      const verdicts = new Map([...readVerdicts(file, key), ...learned]);
      if (writeVerdicts(folder, file, { key, verdicts: [...verdicts] })) reached += learned.length;
    },
  };
}

function cacheFolder(cwd: string): string | null {
  try {
    const folder = findCacheDirectory({ name: 'errspec', cwd });
    if (folder === undefined) return null;
    // find-cache-dir offers node_modules/.cache in a package that has no node_modules yet; errspec makes none.
    const modules = dirname(dirname(folder));
    return basename(modules) === 'node_modules' && !existsSync(modules) ? null : folder;
  } catch {
    return null;
  }
}

/** null when it cannot be told: a key without it would outlive an upgrade of recheck. */
function recheckVersion(): string | null {
  try {
    const { version } = createRequire(import.meta.url)('recheck/package.json') as { version?: unknown };
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}

function readVerdicts(file: string, key: string): Verdict[] {
  try {
    const cache = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile>;
    if (cache.key !== key || !Array.isArray(cache.verdicts)) return [];
    return cache.verdicts.filter(
      (entry): entry is Verdict => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && (entry[1] === null || typeof entry[1] === 'string'),
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
