/**
 * errspec as a new user gets it: packed as npm would publish it, installed from the tarball into an
 * empty project with production dependencies only, then `init`, `validate` and `generate` run
 * there, a strict TypeScript app is built on the result under `nodenext` and `bundler`, run, and
 * `require()`d from CommonJS; one provider's classifier is bundled for the browser; publint and
 * "Are the Types Wrong?" check the generated package; the programmatic API is imported and typed.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { browserBundle } from './browser-bundle.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, ROOT, tempDir } from './helpers.js';

const BIN = join(ROOT, 'node_modules', '.bin');
let work: string;
let app: string;
let tarball: string;

function run(command: string, args: readonly string[], options: ExecFileSyncOptions = {}): string {
  try {
    return execFileSync(command, args, { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000, ...options }).toString();
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer | string; stderr?: Buffer | string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${String(stdout ?? '')}\n${String(stderr ?? '')}`);
  }
}

/** A strict app's compiler options, as the build-step issue lists them, under `nodenext` or `bundler`. */
function strictOptions(resolution: 'nodenext' | 'bundler'): Record<string, unknown> {
  return {
    target: 'es2022',
    module: resolution === 'nodenext' ? 'nodenext' : 'esnext',
    moduleResolution: resolution,
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: false,
    types: [],
  };
}

/** The installed errspec's command, as `npx errspec` runs it. */
function errspec(...args: string[]): string {
  return run(join(app, 'node_modules', '.bin', 'errspec'), args);
}

beforeAll(() => {
  work = tempDir('errspec-pack-');
  app = join(work, 'app');
  mkdirSync(app);
  // `npm pack` runs the prepack build, as publishing does.
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT })) as { filename: string }[];
  tarball = join(work, packed[0]!.filename);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: '@acme/app', version: '1.0.0', private: true, type: 'module' }, null, 2));
  // As a user adds it: a devDependency, which brings errspec's own dependencies and none of its
  // devDependencies; from npm's cache where it can (CI's `npm ci` filled it), the registry otherwise.
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '-D', tarball]);
}, 300_000);

afterAll(() => removeDir(work));

describe('the packed errspec', () => {
  it('ships its build, the runtime sources and the format, and no tests', () => {
    const files = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT })) as { files: { path: string }[] }[];
    const paths = files[0]!.files.map((f) => f.path);
    expect(paths).toContain('dist/generator/cli.js');
    expect(paths).toContain('dist/generator/api.d.ts');
    expect(paths).toContain('dist/runtime-cache.json');
    expect(paths).toContain('spec/taxonomy.yaml');
    expect(paths).toContain('spec/schema/provider.schema.json');
    expect(paths.filter((p) => p.startsWith('test/') || p.startsWith('.ci/') || p.endsWith('.map'))).toEqual([]);
  });

  it('installs without tsx, esbuild or any test tool', () => {
    const installed = readdirSync(join(app, 'node_modules'));
    for (const tool of ['tsx', 'esbuild', 'vitest', 'typescript', 'ts-node']) expect(installed).not.toContain(tool);
  });

  it('init scaffolds a spec that validates and generates at once, and refuses to run twice', () => {
    expect(errspec('init', '--scripts')).toContain('wrote spec/example.yaml');
    const config = JSON.parse(readFileSync(join(app, 'errspec.config.json'), 'utf8')) as { $schema: string };
    // The editor's schema lines point into the installed errspec.
    expect(existsSync(join(app, config.$schema))).toBe(true);
    const modeline = /\$schema=(\S+)/.exec(readFileSync(join(app, 'spec', 'example.yaml'), 'utf8'))![1]!;
    expect(existsSync(join(app, 'spec', modeline))).toBe(true);
    expect(() => errspec('init')).toThrow(/already exists/);
    expect(errspec('validate')).toContain('spec is valid (1 provider, 2 codes)');
    expect(errspec('generate')).toMatch(/wrote generated\/ \(1 provider, 2 codes, \d+ files\)/);
    const manifest = JSON.parse(readFileSync(join(app, 'generated', 'package.json'), 'utf8')) as { name: string; private: boolean };
    expect(manifest).toMatchObject({ name: '@acme/app-errors', private: true });
    expect(run('npm', ['run', '-s', 'errors:check'])).toContain('is up to date');
  });

  it('names the project script that fixes a stale package', () => {
    const file = join(app, 'spec', 'example.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('An internal error.', 'An internal error on our side.'));
    try {
      expect(() => errspec('generate', '--check')).toThrow(/Run 'npm run errors:generate' and commit the result/);
    } finally {
      writeFileSync(file, text);
    }
  });

  it('builds into a strict TypeScript app under nodenext and bundler, which runs', () => {
    writeFileSync(
      join(app, 'main.ts'),
      [
        "import { classifyResponse } from '@acme/app-errors/example';",
        "import type { ClassifiedError } from '@acme/app-errors';",
        "const result: ClassifiedError = classifyResponse({ status: 429, headers: { 'retry-after': '2' }, body: { error: { code: 'rate_limited', message: 'slow down' } } });",
        'console.log(JSON.stringify({ category: result.category, retryAfterMs: result.retryAfterMs }));',
        '',
      ].join('\n'),
    );
    // The generated package is a dependency of the app, as a workspace package or this file: link.
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', './generated']);
    for (const resolution of ['nodenext', 'bundler'] as const) {
      const tsconfig = { compilerOptions: { ...strictOptions(resolution), outDir: `out-${resolution}` }, files: ['main.ts'] };
      writeFileSync(join(app, `tsconfig.${resolution}.json`), JSON.stringify(tsconfig));
      run(join(BIN, 'tsc'), ['-p', `tsconfig.${resolution}.json`]);
    }
    const printed = run('node', ['out-nodenext/main.js']);
    expect(JSON.parse(printed)).toEqual({ category: 'rate_limited', retryAfterMs: 2000 });
  });

  it('generates TypeScript sources into an app\'s src/, which tsc builds under strict settings, nodenext and bundler', () => {
    expect(errspec('generate', '--form', 'typescript', '--out', 'src/errors')).toMatch(/wrote src\/errors\//);
    // No JavaScript and no package.json: the app's own build makes them.
    const files = readdirSync(join(app, 'src', 'errors'), { recursive: true }) as string[];
    expect(files.filter((f) => /\.(js|d\.ts)$|package\.json$/.test(f))).toEqual([]);
    writeFileSync(
      join(app, 'src', 'main.ts'),
      [
        "import { classifyResponse, validateExampleHttpError } from './errors/example/index.js';",
        "import type { ClassifiedError } from './errors/index.js';",
        "const result: ClassifiedError = classifyResponse({ status: 400, body: { error: { code: 'invalid_parameter', message: 'prompt is required', param: 'prompt' } } });",
        "console.log(JSON.stringify({ category: result.category, param: result.param, conforms: validateExampleHttpError({ error: { code: 1 } }) }));",
        '',
      ].join('\n'),
    );
    for (const resolution of ['nodenext', 'bundler'] as const) {
      const tsconfig = {
        compilerOptions: { ...strictOptions(resolution), noUnusedLocals: true, noImplicitOverride: true, rootDir: 'src', outDir: `build-${resolution}` },
        include: ['src'],
      };
      writeFileSync(join(app, `tsconfig.src-${resolution}.json`), JSON.stringify(tsconfig));
      run(join(BIN, 'tsc'), ['-p', `tsconfig.src-${resolution}.json`]);
      expect(JSON.parse(run('node', [`build-${resolution}/main.js`]))).toEqual({ category: 'invalid_request', param: 'prompt', conforms: false });
    }
    expect(errspec('generate', '--form', 'typescript', '--out', 'src/errors', '--check')).toContain('is up to date');
  });

  it('can be required from CommonJS (Node 20.19 and later load ESM with require)', () => {
    const printed = run('node', ['--no-warnings', '-e', "const m = require('./generated/example/index.js'); console.log(m.classifyResponse({ status: 401 }).category)"]);
    expect(printed.trim()).toBe('authentication');
  });

  it("bundles one provider's classifier for the browser small and free of Node built-ins", async () => {
    const { text, nodeImports } = await browserBundle("import { classifyResponse } from './generated/example/index.js';\nconsole.log(classifyResponse({ status: 500 }));", app);
    expect(nodeImports).toEqual([]);
    expect(gzipSync(text).length).toBeLessThanOrEqual(10 * 1024);
  });

  it('passes publint and Are the Types Wrong (esm-only) on the generated package', () => {
    expect(run(join(BIN, 'publint'), ['generated'])).toContain('All good');
    run(join(BIN, 'attw'), ['--pack', 'generated', '--profile', 'esm-only', '--format', 'ascii']);
  });

  it('exposes generate, validate and diff, typed, to a script', () => {
    writeFileSync(
      join(app, 'api.ts'),
      [
        "import { generate, validate, diff, formatDiagnostic, type GenerateResult } from 'errspec';",
        "const checked = validate({ spec: 'spec' });",
        "const result: GenerateResult = await generate({ spec: 'spec', out: 'generated', check: true });",
        "const compared = diff({ old: 'spec', new: 'spec' });",
        'console.log(JSON.stringify({ valid: checked.ok, upToDate: result.ok, changes: compared.report?.changes.length, problems: checked.diagnostics.map(formatDiagnostic) }));',
        '',
      ].join('\n'),
    );
    const tsconfig = { compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, exactOptionalPropertyTypes: true, types: [], outDir: 'out-api' }, files: ['api.ts'] };
    writeFileSync(join(app, 'tsconfig.api.json'), JSON.stringify(tsconfig));
    run(join(BIN, 'tsc'), ['-p', 'tsconfig.api.json']);
    expect(JSON.parse(run('node', ['out-api/api.js']))).toEqual({ valid: true, upToDate: true, changes: 0, problems: [] });
  });
});
