/**
 * errspec as a build step in another project: the config file and the flags that override it,
 * files in the output folder errspec does not own, the command `--check` names, a spec without a
 * taxonomy of its own, `init`, and the programmatic API's contract (spec problems are results,
 * requests that cannot be carried out throw).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { diff, generate, UsageError, validate } from '../generator/api.js';
import { main, type Io } from '../generator/cli.js';
import { MINIMAL_PROVIDER, removeDir, ROOT, SPEC_DIR, tempDir } from './helpers.js';

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

/** A project folder with `files` (paths relative to it). */
function project(files: Record<string, string>): string {
  const dir = tempDir('errspec-project-');
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function cli(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { cwd, out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('a spec without a taxonomy.yaml', () => {
  it("is mapped onto errspec's canonical taxonomy", async () => {
    const dir = project({ 'api/acme.yaml': MINIMAL_PROVIDER });
    const r = await cli(dir, 'generate', '--spec', 'api', '--out', 'pkg');
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(dir, 'pkg', 'taxonomy.js'), 'utf8').split('\n')[0]).toContain('from errspec/taxonomy.yaml;');
  });
});

describe('a taxonomy.yaml that extends errspec', () => {
  const extending = [
    'format: 2',
    'extends: errspec',
    'actions:',
    '  wait_for_quota: Wait for the daily quota to reset.',
    'categories:',
    '  rate_limited:',
    '    retry: { maxAttempts: 2 }',
    '  quota_exhausted:',
    '    description: The daily quota is used up.',
    '    fault: caller',
    '    retryable: false',
    '    action: wait_for_quota',
    '',
  ].join('\n');
  const provider = MINIMAL_PROVIDER.replace('category: invalid_request', 'category: quota_exhausted');

  it('is laid over the canonical one: a category and an action added, one number of a retry rule changed', async () => {
    const dir = project({ 'spec/taxonomy.yaml': extending, 'spec/acme.yaml': provider });
    const r = await cli(dir, 'generate');
    expect(r.code, r.err).toBe(0);
    type Taxonomy = { taxonomy: { categories: ReadonlyMap<string, { action: string; retry: Record<string, unknown> | null }> }; actionInfo: ReadonlyMap<string, string> };
    const extended = (await import(pathToFileURL(join(dir, 'generated', 'taxonomy.js')).href)) as Taxonomy;
    const canonical = (await import(pathToFileURL(join(ROOT, 'generated', 'taxonomy.js')).href)) as Taxonomy;
    expect(extended.taxonomy.categories.get('quota_exhausted')?.action).toBe('wait_for_quota');
    expect(extended.actionInfo.get('wait_for_quota')).toBe('Wait for the daily quota to reset.');
    // The rule's other numbers are the canonical ones, and every canonical category is there.
    expect(extended.taxonomy.categories.get('rate_limited')?.retry).toEqual({ ...canonical.taxonomy.categories.get('rate_limited')?.retry, maxAttempts: 2 });
    expect([...extended.taxonomy.categories.keys()]).toEqual(expect.arrayContaining([...canonical.taxonomy.categories.keys()]));
  });

  it("reports a mistake where the spec folder's file has it, and extends of anything but errspec", async () => {
    const dir = project({ 'spec/taxonomy.yaml': extending.replace('fault: caller', 'fault: callr'), 'spec/acme.yaml': provider });
    const r = await cli(dir, 'validate');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^spec\/taxonomy\.yaml:10:12: categories\.quota_exhausted\.fault: must be one of/m);
    writeFileSync(join(dir, 'spec', 'taxonomy.yaml'), extending.replace('extends: errspec', 'extends: acme'));
    expect((await cli(dir, 'validate')).err).toContain("spec/taxonomy.yaml:2:10: extends must be 'errspec'");
    writeFileSync(join(dir, 'spec', 'taxonomy.yaml'), extending.replace('format: 2\n', ''));
    expect((await cli(dir, 'validate')).err).toContain('extends needs format: 2');
  });
});

describe('errspec.config.json', () => {
  const config = (settings: Record<string, unknown>): string => JSON.stringify(settings, null, 2);

  it('names the spec and output folders, relative to itself; flags override it', async () => {
    const dir = project({ 'errors/acme.yaml': MINIMAL_PROVIDER, 'errspec.config.json': config({ spec: 'errors', out: 'src/errors' }) });
    expect((await cli(dir, 'validate')).out).toContain('errors is valid');
    expect((await cli(dir, 'generate')).code).toBe(0);
    expect(existsSync(join(dir, 'src', 'errors', 'acme', 'index.js'))).toBe(true);
    expect((await cli(dir, 'generate', '--out', 'elsewhere')).code).toBe(0);
    expect(existsSync(join(dir, 'elsewhere', 'index.js'))).toBe(true);
    // --config points at another file; its paths are relative to that file.
    const nested = project({ 'tools/errspec.json': config({ spec: '../errors', out: '../gen' }), 'errors/acme.yaml': MINIMAL_PROVIDER });
    expect((await cli(nested, 'generate', '--config', 'tools/errspec.json')).code).toBe(0);
    expect(existsSync(join(nested, 'gen', 'index.js'))).toBe(true);
  });

  it('is read by the programmatic API too, its options winning', async () => {
    const dir = project({ 'errors/acme.yaml': MINIMAL_PROVIDER, 'errspec.config.json': config({ spec: 'errors', out: 'pkg' }) });
    expect(validate({ cwd: dir }).ok).toBe(true);
    expect(await generate({ cwd: dir })).toMatchObject({ ok: true, out: join(dir, 'pkg') });
    expect(await generate({ cwd: dir, out: 'other' })).toMatchObject({ ok: true, out: join(dir, 'other') });
    expect(() => validate({ cwd: dir, config: false })).toThrow(/cannot read the spec folder spec/);
  });

  it('must be JSON, though YAML would parse it', async () => {
    const dir = project({ 'errspec.config.json': 'spec: errors\n' });
    const r = await cli(dir, 'validate');
    expect(r.code).toBe(2);
    expect(r.err).toContain('errspec.config.json:1:1: not valid JSON');
  });

  it('with a mistake is a usage error naming file:line:col for each problem', async () => {
    const dir = project({ 'errspec.config.json': '{\n  "spec": 3,\n  "output": "x"\n}\n' });
    const r = await cli(dir, 'validate');
    expect(r.code).toBe(2);
    expect(r.err).toContain('errspec.config.json:2:11: spec must be a folder path');
    expect(r.err).toContain("errspec.config.json:3:3: unknown setting 'output'");
    expect((await cli(dir, 'validate', '--config', 'missing.json')).err).toContain('no such config file: missing.json');
  });

  it('keep: files in the output folder errspec does not own survive regeneration and are not drift', async () => {
    const dir = project({ 'spec/acme.yaml': MINIMAL_PROVIDER });
    expect((await cli(dir, 'generate')).code).toBe(0);
    writeFileSync(join(dir, 'generated', 'CHANGELOG.md'), '# Changelog\n');
    // Unlisted, the file would be lost: errspec refuses.
    const refused = await cli(dir, 'generate', '--check');
    expect(refused.err).toContain('unexpected CHANGELOG.md');
    writeFileSync(join(dir, 'errspec.config.json'), config({ keep: ['CHANGELOG.md'] }));
    expect((await cli(dir, 'generate', '--check')).code).toBe(0);
    writeFileSync(join(dir, 'spec', 'acme.yaml'), MINIMAL_PROVIDER.replace('The input is invalid.', 'The input is wrong.'));
    expect((await cli(dir, 'generate')).code).toBe(0);
    expect(readFileSync(join(dir, 'generated', 'CHANGELOG.md'), 'utf8')).toBe('# Changelog\n');
  });
});

describe('keep', () => {
  it('is a list of paths inside the output folder, none of them errspec\'s own; nothing is written outside', async () => {
    const dir = project({ 'spec/acme.yaml': MINIMAL_PROVIDER, 'outside.txt': 'mine\n' });
    await expect(generate({ cwd: dir, keep: ['../outside.txt'] })).rejects.toThrow("keep: '../outside.txt' is not a file path inside the output folder");
    await expect(generate({ cwd: dir, keep: ['/etc/hosts'] })).rejects.toBeInstanceOf(UsageError);
    await expect(generate({ cwd: dir, keep: ['README.md'] })).rejects.toThrow("keep: README.md is errspec's own output");
    expect(readFileSync(join(dir, 'outside.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  });

  it('lets the first run write into a folder that holds only kept files, written as ./path or path', async () => {
    const dir = project({ 'spec/acme.yaml': MINIMAL_PROVIDER, 'generated/CHANGELOG.md': '# Changelog\n' });
    expect(await generate({ cwd: dir, keep: ['./CHANGELOG.md'] })).toMatchObject({ ok: true, wrote: true });
    expect(readFileSync(join(dir, 'generated', 'CHANGELOG.md'), 'utf8')).toBe('# Changelog\n');
    expect(existsSync(join(dir, 'generated', 'index.js'))).toBe(true);
  });
});

describe('keep in the reference site', () => {
  it("leaves a GitHub Pages CNAME in place when docs rebuilds the site", async () => {
    const dir = project({ 'spec/acme.yaml': MINIMAL_PROVIDER, 'errspec.config.json': JSON.stringify({ keep: ['CNAME'] }) });
    expect((await cli(dir, 'docs')).code).toBe(0);
    writeFileSync(join(dir, 'docs', 'CNAME'), 'errors.acme.test\n');
    writeFileSync(join(dir, 'spec', 'acme.yaml'), MINIMAL_PROVIDER.replace('The input is invalid.', 'The input is wrong.'));
    const r = await cli(dir, 'docs');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('wrote docs/');
    expect(readFileSync(join(dir, 'docs', 'CNAME'), 'utf8')).toBe('errors.acme.test\n');
  });
});

describe('generate --check', () => {
  it('names errspec with the same arguments when no project script runs it', async () => {
    const dir = project({ 'spec/acme.yaml': MINIMAL_PROVIDER });
    const r = await cli(dir, 'generate', '--check', '--out', 'my pkg');
    expect(r.code).toBe(1);
    expect(r.err).toContain("Run 'npx errspec generate --out 'my pkg'' and commit the result.");
  });

  it("names the project's own script when one runs errspec generate", async () => {
    const dir = project({ 'spec/acme.yaml': MINIMAL_PROVIDER, 'package.json': JSON.stringify({ scripts: { test: 'vitest', 'build:errors': 'errspec generate' } }) });
    expect((await cli(dir, 'generate', '--check')).err).toContain("Run 'npm run build:errors' and commit the result.");
  });
});

describe('errspec init', () => {
  it('prints the scripts to add, or adds them with --scripts; refuses a second run', async () => {
    const dir = project({ 'package.json': '{\n\t"name": "app",\n\t"scripts": { "errors:check": "custom" }\n}\n' });
    const first = await cli(dir, 'init', 'errors');
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('"errors:generate": "errspec generate"');
    expect(JSON.parse(readFileSync(join(dir, 'errspec.config.json'), 'utf8'))).toMatchObject({ spec: 'errors', out: 'generated' });
    expect(readFileSync(join(dir, 'errors', 'package.yaml'), 'utf8')).toContain('name: "app-errors"');
    expect((await cli(dir, 'generate')).code).toBe(0);
    const again = await cli(dir, 'init', 'errors');
    expect(again.code).toBe(2);
    expect(again.err).toContain('errors already exists and is not empty');

    const other = project({ 'package.json': '{\n\t"name": "app",\n\t"scripts": { "errors:check": "custom" }\n}\n' });
    expect((await cli(other, 'init', '--scripts')).code).toBe(0);
    const manifest = readFileSync(join(other, 'package.json'), 'utf8');
    // A script of the same name is the project's: left as it was; the file keeps its tabs.
    expect(JSON.parse(manifest).scripts).toEqual({ 'errors:check': 'custom', 'errors:generate': 'errspec generate', 'errors:diff': 'errspec diff HEAD' });
    expect(manifest).toContain('\n\t"scripts"');
  });

  it('with --scripts but no package.json, or one that does not parse, is a usage error, and writes nothing', async () => {
    const dir = project({});
    const r = await cli(dir, 'init', '--scripts');
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'spec'))).toBe(false);
    writeFileSync(join(dir, 'package.json'), '{ "name": ');
    expect((await cli(dir, 'init', '--scripts')).err).toContain('cannot read package.json');
    expect(existsSync(join(dir, 'spec'))).toBe(false);
    expect((await cli(dir, 'init', '--config', 'x.json')).code).toBe(2);
  });
});

describe('the typescript output form', () => {
  it("of the shipped spec builds with an app's strictest tsc settings, and runs", async () => {
    const dir = project({
      'package.json': JSON.stringify({ type: 'module' }),
      'src/main.ts': [
        "import { classifyResponse, isProviderError, ProviderError, runTask } from './errors/openai/index.js';",
        "import { classifyResponse as classifyAny, providerIds } from './errors/index.js';",
        "const limited = classifyResponse({ status: 429, headers: { 'retry-after': '2' }, body: { error: { code: 'rate_limit_exceeded', message: 'slow down', type: 'requests' } } });",
        "const failure: unknown = new Error('plain');",
        'const caught: ProviderError | null = isProviderError(failure) ? failure : null;',
        "console.log(JSON.stringify({ category: limited.category, waitMs: limited.retryAfterMs, ltx: classifyAny('ltx', { status: 500 }).category, providers: providerIds.length, caught, runTask: typeof runTask }));",
        '',
      ].join('\n'),
    });
    const r = await cli(dir, 'generate', '--spec', SPEC_DIR, '--out', 'src/errors', '--form', 'typescript');
    expect(r.code, r.err).toBe(0);
    // Its README imports as the app does: by relative path, not by a package name that does not exist.
    const readme = readFileSync(join(dir, 'src', 'errors', 'README.md'), 'utf8');
    expect(readme).toContain("from './errors/index.js';");
    expect(readme).not.toContain("from '@errspec/errors");
    const tsconfig = {
      compilerOptions: {
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        noImplicitOverride: true,
        noImplicitReturns: true,
        noPropertyAccessFromIndexSignature: true,
        noFallthroughCasesInSwitch: true,
        skipLibCheck: false,
        types: [],
        rootDir: 'src',
        outDir: 'build',
      },
      include: ['src'],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: dir, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const run = spawnSync(process.execPath, ['build/main.js'], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(run.stdout)).toEqual({ category: 'rate_limited', waitMs: 2000, ltx: 'server_error', providers: 13, caught: null, runTask: 'function' });
  });
});

describe('errspec diff with version: keep', () => {
  it('advises from the version the output folder has: a break before 1.0 is a minor release', async () => {
    const dir = project({ 'spec/acme.yaml': MINIMAL_PROVIDER, 'spec/package.yaml': 'format: 2\nversion: keep\n', 'generated/package.json': '{ "version": "0.4.2" }\n' });
    const old = project({ 'acme.yaml': MINIMAL_PROVIDER, 'package.yaml': 'format: 2\nversion: keep\n' });
    writeFileSync(join(dir, 'spec', 'acme.yaml'), MINIMAL_PROVIDER.replace('status: 400', 'status: 422'));
    const result = diff({ cwd: dir, old, config: false });
    expect(result.report?.advice).toMatchObject({ current: '0.4.2' });
    expect(result.report?.advice.next).toMatch(/^0\.(4\.3|5\.0)$/);
  });
});

describe('the programmatic API', () => {
  it('returns spec problems as data, and throws for an output folder it may not replace', async () => {
    const dir = project({ 'spec/acme.yaml': MINIMAL_PROVIDER.replace('category: invalid_request', 'category: nope'), 'site/index.html': '<p>mine</p>\n' });
    const checked = validate({ cwd: dir });
    expect(checked.ok).toBe(false);
    expect(checked.diagnostics.map((d) => d.message)).toContain('unknown category "nope"');
    writeFileSync(join(dir, 'spec', 'acme.yaml'), MINIMAL_PROVIDER);
    await expect(generate({ cwd: dir, out: 'site' })).rejects.toBeInstanceOf(UsageError);
    const written = await generate({ cwd: dir });
    expect(written).toMatchObject({ ok: true, wrote: true, providers: 1 });
    expect((await generate({ cwd: dir, check: true })).ok).toBe(true);
  });
});
