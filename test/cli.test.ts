/** The errspec command as a user runs it: a real process, real files. */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { providerIds } from '../generated/index.js';
import { copyOfShippedSpec, GENERATED_DIR, removeDir, ROOT, runCli, tempDir } from './helpers.js';

const PROVIDERS = `${providerIds.length} providers`;

const made: string[] = [];
afterAll(() => made.forEach(removeDir));
const temp = (): string => {
  const dir = tempDir();
  made.push(dir);
  return dir;
};

describe('errspec', () => {
  it('--help prints usage and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('errspec generate [--spec DIR] [--out DIR] [--form package|typescript] [--check] [--watch]');
    expect(r.stdout).toContain('errspec init [DIR] [--scripts]');
    expect(r.stdout).toContain('errspec diff OLD [NEW]');
    expect(r.stdout).toContain('Exit codes: 0 success, 1 spec errors, drift, or a diff change at or above');
  });

  it('--version prints the version from package.json', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it.each([
    [[], 'missing command'],
    [['frobnicate'], "unknown command 'frobnicate'\n"],
    [['genrate'], "unknown command 'genrate' (did you mean 'generate'?)"],
    [['valdiate'], "unknown command 'valdiate' (did you mean 'validate'?)"],
    [['GENERATE'], "unknown command 'GENERATE' (did you mean 'generate'?)"],
    [['generate', '--nope'], "unknown option '--nope'\n"],
    [['generate', '--spce', 'x'], "unknown option '--spce' (did you mean '--spec'?)"],
    [['generate', '--chekc'], "unknown option '--chekc' (did you mean '--check'?)"],
    [['generate', '--spec'], "Option '--spec <value>' argument missing"],
    [['validate', '--out', 'x'], 'validate does not take --out (only --spec and --config)'],
    [['docs', '--check'], 'docs does not take --check (it takes --spec, --config, --out)'],
    [['diff'], 'diff needs OLD'],
    [['diff', 'a', 'b', 'c'], "unexpected argument 'c'"],
    [['diff', 'HEAD', '--format', 'xml'], "--format must be one of text, json, github, not 'xml'"],
    [['diff', 'HEAD', '--json', '--format', 'github'], '--json and --format github cannot be combined'],
    [['diff', 'HEAD', '--fail-on', 'major'], "--fail-on must be one of breaking, behaviour, any, none, not 'major'"],
    [['generate', '--json'], 'generate does not take --json'],
    [['generate', '--check', '--watch'], '--check and --watch cannot be combined'],
  ])('usage error %j exits 2', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain("Run 'errspec --help' for usage.");
  });

  it('validate accepts the shipped spec', async () => {
    const r = await runCli(['validate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^errspec: spec is valid \\(${PROVIDERS}, \\d+ codes\\)\n$`));
  });

  it('generate --check passes on the committed output and fails, listing files, on drift', async () => {
    expect((await runCli(['generate', '--check'])).code).toBe(0);
    const out = join(temp(), 'out');
    cpSync(GENERATED_DIR, out, { recursive: true });
    writeFileSync(join(out, 'evolink', 'table.js'), '// edited by hand\n');
    writeFileSync(join(out, 'stray.js'), '\n');
    const r = await runCli(['generate', '--check', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('changed    evolink/table.js');
    expect(r.stderr).toContain('unexpected stray.js');
    expect(readFileSync(join(out, 'evolink', 'table.js'), 'utf8')).toBe('// edited by hand\n');
  });

  it('generate writes a fresh folder and prints a one-line summary', async () => {
    const out = join(temp(), 'fresh');
    const r = await runCli(['generate', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^errspec: wrote .*fresh/ \\(${PROVIDERS}, \\d+ codes, \\d+ files\\) in \\d+ ms\n$`));
    expect(readFileSync(join(out, 'index.js'), 'utf8')).toBe(readFileSync(join(GENERATED_DIR, 'index.js'), 'utf8'));
    expect((await runCli(['generate', '--check', '--out', out])).code).toBe(0);
  });

  it('a spec error prints file:line:col, the source line and a caret, and exits 1', async () => {
    const spec = copyOfShippedSpec();
    made.push(spec);
    const path = join(spec, 'ltx.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('category: content_policy', 'category: content_polcy'));
    const r = await runCli(['validate', '--spec', spec], spec);
    expect(r.code).toBe(1);
    const [first, source, caret] = r.stderr.split('\n');
    expect(first).toMatch(/^ltx\.yaml:\d+:19: unknown category "content_polcy" \(did you mean "content_policy"\?\)$/);
    expect(source).toBe('            category: content_polcy');
    expect(caret).toBe(`    ${' '.repeat(18)}^`);
    expect(r.stderr).toContain('errspec: 1 problem in 1 file');
  });

  it('an output path that is a file is a clear error, and the file is kept', async () => {
    const file = join(temp(), 'not-a-folder');
    writeFileSync(file, 'keep me\n');
    const r = await runCli(['generate', '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a file, not a folder');
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
  });

  it('refuses an output folder that holds files errspec did not generate, and one that contains the spec', async () => {
    const project = temp();
    writeFileSync(join(project, 'notes.txt'), 'mine\n');
    const r = await runCli(['generate', '--out', project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds files errspec did not generate');
    expect(readFileSync(join(project, 'notes.txt'), 'utf8')).toBe('mine\n');

    const spec = copyOfShippedSpec();
    made.push(spec);
    const nested = await runCli(['generate', '--spec', spec, '--out', join(spec, '..')]);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toContain('--out must not be the spec folder or contain it');
  });

  it("refuses to delete a file inside the output folder that errspec did not write, but replaces its own", async () => {
    const out = join(temp(), 'out');
    cpSync(GENERATED_DIR, out, { recursive: true });
    writeFileSync(join(out, 'NOTES.md'), 'my notes\n');
    const r = await runCli(['generate', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('errspec did not write NOTES.md');
    expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).toBe('my notes\n');

    // A file of a provider since removed from the spec is errspec's own: it goes without asking.
    rmSync(join(out, 'NOTES.md'));
    mkdirSync(join(out, 'gone'));
    writeFileSync(join(out, 'gone', 'index.js'), '// @generated by errspec from spec/gone.yaml; do not edit.\n');
    const again = await runCli(['generate', '--out', out]);
    expect(again.code).toBe(0);
    expect(existsSync(join(out, 'gone'))).toBe(false);
  });

  it('output does not depend on the working directory', async () => {
    const out = join(temp(), 'elsewhere');
    expect((await runCli(['generate', '--spec', join(ROOT, 'spec'), '--out', out], join(ROOT, 'generator'))).code).toBe(0);
    expect((await runCli(['generate', '--check', '--out', out])).code).toBe(0);
  });

  it('a missing spec folder is a clear error', async () => {
    const r = await runCli(['validate', '--spec', join(temp(), 'nowhere')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read the spec folder .*nowhere: no such folder/);
  });
});
