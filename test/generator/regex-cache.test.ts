/** recheck's verdicts, kept between runs in the project's cache folder (generator/regex-cache.ts). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generate, validate } from '../../generator/api.js';
import { diagnosticLines, MINIMAL_PROVIDER, removeDir, tempDir } from '../helpers.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) removeDir(dir);
  delete process.env['CACHE_DIR'];
});

let serial = 0;
/** A regex no earlier run in this process has judged, so that only the cache or recheck can. */
const freshRegex = (): string => `\\bworded${Date.now()}x${serial++}\\b`;

/** A project (package.json and spec/) whose provider has a message sub-type with `regex`. */
function project(regex: string, { manifest = true } = {}): string {
  const dir = tempDir('errspec-cache-');
  made.push(dir);
  if (manifest) writeFileSync(join(dir, 'package.json'), '{ "name": "app", "private": true }\n');
  mkdirSync(join(dir, 'spec'));
  const subtype = `        subtypes:\n          - { id: worded, description: A worded one, regex: '${regex}' }\n`;
  writeFileSync(join(dir, 'spec', 'acme.yaml'), MINIMAL_PROVIDER.replace('        source: docs\n', () => `        source: docs\n${subtype}`));
  return dir;
}

const cacheFileIn = (folder: string): string => join(folder, 'errspec', 'regex-verdicts.json');
const projectCache = (dir: string): string => cacheFileIn(join(dir, 'node_modules', '.cache'));

interface CacheFile {
  key: string;
  verdicts: [string, string | null][];
}
const readCache = (file: string): CacheFile => JSON.parse(readFileSync(file, 'utf8')) as CacheFile;

describe('the regex verdict cache', () => {
  it("keeps a run's verdicts in node_modules/.cache/errspec, and the next run takes them from there", () => {
    const regex = freshRegex();
    const dir = project(regex);
    expect(validate({ cwd: dir }).ok).toBe(true);
    const file = projectCache(dir);
    const cache = readCache(file);
    expect(cache.verdicts).toEqual([[`i/${regex}`, null]]);
    expect(cache.key).toMatch(/:recheck \d+\.\d+\.\d+$/);

    // What the next run finds in the cache is the verdict, without asking recheck again.
    writeFileSync(file, JSON.stringify({ key: cache.key, verdicts: [[`i/${regex}`, 'the verdict the cache holds']] }));
    expect(diagnosticLines(validate({ cwd: dir }))).toEqual([
      expect.stringMatching(/^spec\/acme\.yaml:\d+:\d+: unsafe regex: the verdict the cache holds; /),
    ]);
  });

  it('keeps the verdict on a regex that can backtrack, which is as lasting as a proof', async () => {
    const dir = project('(a+)+$');
    const result = await generate({ cwd: dir, check: true });
    expect(result.ok).toBe(false);
    expect(diagnosticLines(result)[0]).toContain('it can backtrack for exponential time');
    expect(readCache(projectCache(dir)).verdicts).toEqual([['i/(a+)+$', expect.stringContaining('it can backtrack for exponential time')]]);
  });

  it("ignores a cache of another errspec build or recheck version, or one it cannot read, and replaces it", () => {
    for (const content of [(regex: string) => JSON.stringify({ key: 'another build:recheck 0.0.1', verdicts: [[`i/${regex}`, 'stale']] }), () => '{ not json']) {
      const regex = freshRegex();
      const dir = project(regex);
      const file = projectCache(dir);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, content(regex));
      expect(validate({ cwd: dir }).diagnostics).toEqual([]);
      expect(readCache(file).verdicts).toEqual([[`i/${regex}`, null]]);
    }
  });

  it('is kept in $CACHE_DIR/errspec when CACHE_DIR is set, and nowhere outside a package', () => {
    const elsewhere = tempDir('errspec-cache-dir-');
    made.push(elsewhere);
    process.env['CACHE_DIR'] = elsewhere;
    const regex = freshRegex();
    const dir = project(regex);
    expect(validate({ cwd: dir }).ok).toBe(true);
    expect(readCache(cacheFileIn(elsewhere)).verdicts).toEqual([[`i/${regex}`, null]]);
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);

    delete process.env['CACHE_DIR'];
    const loose = project(freshRegex(), { manifest: false });
    expect(validate({ cwd: loose }).ok).toBe(true);
    expect(existsSync(join(loose, 'node_modules'))).toBe(false);
  });
});
