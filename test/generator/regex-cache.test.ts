/** recheck's verdicts, kept between runs in the project's cache folder (generator/regex-cache.ts). */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate, validate } from '../../generator/api.js';
import { diagnosticLines, MINIMAL_PROVIDER, removeDir, tempDir } from '../helpers.js';

const made: string[] = [];
// The tests choose where the cache goes; a CACHE_DIR set around them is put back afterwards.
const cacheDirAround = process.env['CACHE_DIR'];
beforeEach(() => {
  delete process.env['CACHE_DIR'];
});
afterEach(() => {
  for (const dir of made.splice(0)) removeDir(dir);
  if (cacheDirAround === undefined) delete process.env['CACHE_DIR'];
  else process.env['CACHE_DIR'] = cacheDirAround;
});

let serial = 0;
/** A regex no earlier run in this process has judged, so that only the cache or recheck can. */
const freshRegex = (): string => `\\bworded${Date.now()}x${serial++}\\b`;

/** Gives the provider of the project in `dir` a message sub-type with `regex`. */
function useRegex(dir: string, regex: string): void {
  const subtype = `        subtypes:\n          - { id: worded, description: A worded one, regex: '${regex}' }\n`;
  writeFileSync(join(dir, 'spec', 'acme.yaml'), MINIMAL_PROVIDER.replace('        source: docs\n', () => `        source: docs\n${subtype}`));
}

/** A project (package.json, node_modules and spec/) whose provider has a message sub-type with `regex`. */
function project(regex: string, { manifest = true, modules = true } = {}): string {
  const dir = tempDir('errspec-cache-');
  made.push(dir);
  if (manifest) writeFileSync(join(dir, 'package.json'), '{ "name": "app", "private": true }\n');
  if (modules) mkdirSync(join(dir, 'node_modules'));
  mkdirSync(join(dir, 'spec'));
  useRegex(dir, regex);
  return dir;
}

/** The one cache file in `folder`/errspec. */
function cacheFileIn(folder: string): string {
  const files = readdirSync(join(folder, 'errspec')).filter((name) => /^regex-verdicts-[0-9a-f]{16}\.json$/.test(name));
  expect(files).toHaveLength(1);
  return join(folder, 'errspec', files[0]!);
}
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

  it('adds to what the file holds when it saves, keeping what another run wrote meanwhile', () => {
    const first = freshRegex();
    const dir = project(first);
    expect(validate({ cwd: dir }).ok).toBe(true);
    const file = projectCache(dir);
    const { key } = readCache(file);
    writeFileSync(file, JSON.stringify({ key, verdicts: [[`i/${first}`, null], ['i/from another run', null]] }));
    const second = freshRegex();
    useRegex(dir, second);
    expect(validate({ cwd: dir }).ok).toBe(true);
    expect(readCache(file).verdicts).toEqual([[`i/${first}`, null], ['i/from another run', null], [`i/${second}`, null]]);
  });

  it('ignores a file it cannot read, or one whose key is not its own, and replaces it', () => {
    const dir = project(freshRegex());
    expect(validate({ cwd: dir }).ok).toBe(true);
    const file = projectCache(dir);
    for (const content of [(regex: string) => JSON.stringify({ key: 'another build:recheck 0.0.1', verdicts: [[`i/${regex}`, 'stale']] }), () => '{ not json']) {
      const regex = freshRegex();
      useRegex(dir, regex);
      writeFileSync(file, content(regex));
      expect(validate({ cwd: dir }).diagnostics).toEqual([]);
      expect(readCache(file).verdicts).toEqual([[`i/${regex}`, null]]);
    }
  });

  it('is kept in $CACHE_DIR/errspec when CACHE_DIR is set; nowhere outside a package, or in one without node_modules', () => {
    const elsewhere = tempDir('errspec-cache-dir-');
    made.push(elsewhere);
    process.env['CACHE_DIR'] = elsewhere;
    const regex = freshRegex();
    const dir = project(regex, { modules: false });
    expect(validate({ cwd: dir }).ok).toBe(true);
    expect(readCache(cacheFileIn(elsewhere)).verdicts).toEqual([[`i/${regex}`, null]]);
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);

    delete process.env['CACHE_DIR'];
    for (const options of [{ manifest: false, modules: false }, { modules: false }]) {
      const bare = project(freshRegex(), options);
      expect(validate({ cwd: bare }).ok).toBe(true);
      expect(existsSync(join(bare, 'node_modules'))).toBe(false);
    }
  });
});
