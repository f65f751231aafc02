/**
 * The package as another project consumes it: installed under its name in node_modules, imported
 * by Node, and compiled by tsc in strict mode.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_DIR, readText, removeDir, ROOT, tempDir } from './helpers.js';

const PACKAGE_NAME = (JSON.parse(readText(join(GENERATED_DIR, 'package.json'))) as { name: string }).name;

const exec = promisify(execFile);
let project: string;

beforeAll(() => {
  project = tempDir('errspec-consumer-');
  const scope = join(project, 'node_modules', ...PACKAGE_NAME.split('/').slice(0, -1));
  mkdirSync(scope, { recursive: true });
  symlinkSync(GENERATED_DIR, join(project, 'node_modules', PACKAGE_NAME), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, exactOptionalPropertyTypes: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: [], skipLibCheck: false },
      include: ['*.ts'],
    }),
  );
});
afterAll(() => removeDir(project));

async function node(script: string, args: string[] = []): Promise<string> {
  writeFileSync(join(project, 'script.mjs'), script);
  const { stdout } = await exec(process.execPath, [...args, 'script.mjs'], { cwd: project });
  return stdout;
}

async function tsc(): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await exec(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: project });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, output: e.stdout };
  }
}

describe('a consumer project', () => {
  it('imports the root and every provider subpath by package name under Node', async () => {
    const out = await node(`
      import { classifyResponse, retryDelayMs, providerIds } from '${PACKAGE_NAME}';
      import * as ltx from '${PACKAGE_NAME}/ltx';
      const r = classifyResponse('ltx', { status: 429, headers: { 'retry-after': '3' }, body: '{"type":"error","error":{"type":"rate_limit_error","message":"m"}}' });
      const same = ltx.classifyResponse({ status: 429, headers: { 'retry-after': '3' }, body: '{"type":"error","error":{"type":"rate_limit_error","message":"m"}}' });
      for (const id of providerIds) await import('${PACKAGE_NAME}/' + id);
      console.log(JSON.stringify({ category: r.category, delay: retryDelayMs(r, 1, { random: () => 0 }), same: JSON.stringify(r) === JSON.stringify(same), guard: ltx.isLtxHttpError({ type: 'error', error: { type: 't', message: 'm' } }) }));
    `);
    expect(JSON.parse(out)).toEqual({ category: 'rate_limited', delay: 3000, same: true, guard: true });
  });

  it('each provider subpath exports every function of the root, bound to that provider', async () => {
    const out = await node(`
      import * as root from '${PACKAGE_NAME}';
      const functions = Object.keys(root).filter((name) => typeof root[name] === 'function').sort();
      const missing = {};
      for (const id of root.providerIds) {
        const sub = await import('${PACKAGE_NAME}/' + id);
        missing[id] = functions.filter((name) => typeof sub[name] !== 'function');
      }
      const ltx = await import('${PACKAGE_NAME}/ltx');
      const thrown = ltx.classifyException(new TypeError('fetch failed'));
      console.log(JSON.stringify({ functions, missing, provider: thrown.provider, delay: ltx.retryDelayMs(thrown, 1, { random: () => 0 }) }));
    `);
    const result = JSON.parse(out) as { functions: string[]; missing: Record<string, string[]>; provider: string; delay: number };
    expect(result.functions).toEqual(expect.arrayContaining(['classifyException', 'classifyFetchResponse', 'classifyResponse', 'classifyTask', 'retryDelayMs']));
    for (const missing of Object.values(result.missing)) expect(missing).toEqual([]);
    expect([result.provider, result.delay]).toEqual(['ltx', 500]);
  });

  it("importing the package does not load Node's fetch implementation (40 ms of every cold start)", async () => {
    const out = await node(`
      await import('${PACKAGE_NAME}');
      for (const id of (await import('${PACKAGE_NAME}')).providerIds) await import('${PACKAGE_NAME}/' + id);
      console.log(JSON.stringify(process.moduleLoadList.filter((m) => m.includes('undici'))));
    `);
    expect(JSON.parse(out)).toEqual([]);
  });

  it("importing one provider's subpath loads no other provider's code", async () => {
    writeFileSync(
      join(project, 'hooks.mjs'),
      `let port; export function initialize(data) { port = data.port; }
       export async function load(url, context, next) { port.postMessage(url); return next(url, context); }`,
    );
    writeFileSync(
      join(project, 'register.mjs'),
      `import { register } from 'node:module';
       const { port1, port2 } = new MessageChannel();
       globalThis.loadedModules = [];
       port1.on('message', (url) => globalThis.loadedModules.push(url));
       port1.unref();
       register('./hooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });`,
    );
    const out = await node(
      `await import('${PACKAGE_NAME}/wubble');
       // The hook thread reports asynchronously; wait for its report of the last module, 5 s at most.
       for (let waited = 0; waited < 5000 && !globalThis.loadedModules.some((u) => u.endsWith('/generated/wubble/table.js')); waited += 20) {
         await new Promise((resolve) => setTimeout(resolve, 20));
       }
       await new Promise((resolve) => setTimeout(resolve, 100));
       console.log(JSON.stringify(globalThis.loadedModules.filter((u) => u.includes('/generated/')).map((u) => u.split('/generated/')[1]).sort()));`,
      ['--import', './register.mjs'],
    );
    const loaded = JSON.parse(out) as string[];
    expect(loaded).toContain('wubble/index.js');
    expect(loaded).toContain('wubble/table.js');
    expect(loaded.filter((path) => /^(evolink|foxapi|ltx)\//.test(path) || path === 'index.js')).toEqual([]);
    // The executor comes with the first call that needs it, not with the classifiers.
    expect(loaded).not.toContain('executor.js');
  });

  it('the executor is loaded by the first call that needs it', async () => {
    const out = await node(
      `const root = await import('${PACKAGE_NAME}');
       const reported = (file) => globalThis.loadedModules.some((u) => u.endsWith('/generated/' + file));
       for (let waited = 0; waited < 5000 && !reported('wubble/table.js'); waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
       await new Promise((resolve) => setTimeout(resolve, 100));
       const before = reported('executor.js');
       await root.fetchWithRetry('ltx', 'http://127.0.0.1:9/', undefined, { maxAttempts: 1 }).catch(() => undefined);
       for (let waited = 0; waited < 5000 && !globalThis.loadedModules.some((u) => u.endsWith('/generated/executor.js')); waited += 20) {
         await new Promise((resolve) => setTimeout(resolve, 20));
       }
       console.log(JSON.stringify({ before, after: globalThis.loadedModules.some((u) => u.endsWith('/generated/executor.js')) }));`,
      ['--import', './register.mjs'],
    );
    expect(JSON.parse(out)).toEqual({ before: false, after: true });
  });

  it('compiles a strict TypeScript file against the package', async () => {
    writeFileSync(
      join(project, 'ok.ts'),
      `import { classifyResponse, classifyFetchResponse, classifyTask, classifyException, createLimiter, fetchWithRetry, redisStore, retryDelayMs, type Action, type Category, type ClassifiedError, type ProviderId } from '${PACKAGE_NAME}';
import { isEvolinkHttpError, validateEvolinkHttpError, type EvolinkHttpError, type EvolinkTaskCode } from '${PACKAGE_NAME}/evolink';
import * as ltx from '${PACKAGE_NAME}/ltx';
import type { LtxClassifiedError, LtxHttpCode } from '${PACKAGE_NAME}/ltx';
const provider: ProviderId = 'evolink';
const error: ClassifiedError = classifyResponse(provider, { status: 500, headers: new Map<string, string>() as never });
const category: Category = error.category;
const action: Action = error.action;
const task: ClassifiedError | null = classifyTask('ltx', {});
const thrown: ClassifiedError = classifyException(new Error('x'));
const delay: number | null = retryDelayMs(thrown, 1, { random: () => 0.5 });
const code: EvolinkTaskCode = 'content_policy_violation';
const body: unknown = JSON.parse('{}');
if (isEvolinkHttpError(body)) { const typed: EvolinkHttpError = body; void typed.error.type; }
void validateEvolinkHttpError.errors;
// Under exactOptionalPropertyTypes, an explicit undefined is still accepted.
const undefinedParts: ClassifiedError = classifyResponse('ltx', { status: 503, headers: undefined, body: undefined });
const noRandom: number | null = retryDelayMs(undefinedParts, 1, { random: undefined });
// Each subpath narrows its results to its provider.
const fromLtx: LtxClassifiedError = ltx.classifyResponse({ status: 429, headers: new Map([['retry-after', '3']]) });
const ltxOnly: 'ltx' = fromLtx.provider;
const ltxCode: LtxHttpCode | (string & {}) | null = fromLtx.code;
// A known code is one of the declared ones; an unknown one is any string.
const declared: LtxHttpCode | null = fromLtx.known ? fromLtx.code : null;
const undeclared: string | null = fromLtx.known ? null : fromLtx.code;
const fetched: Promise<ClassifiedError> = classifyFetchResponse('wubble', new Response('{}', { status: 500 }));
// Options as people write them: a budget's parts left out or undefined, a sleep that resolves with anything.
const limiter = createLimiter({ retryBudget: { capacity: 100, retryCost: undefined }, store: redisStore({ eval: async () => 1 }, { prefix: undefined, leaseMs: undefined }) });
const sent: Promise<Response> = fetchWithRetry('ltx', 'https://example.com', undefined, { limiter, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) });
export { category, action, task, delay, code, noRandom, ltxOnly, ltxCode, declared, undeclared, fetched, sent };
`,
    );
    const result = await tsc();
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it("the READMEs' TypeScript samples compile against the package, as written", async () => {
    // The names a sample leaves to its reader: a URL, request options, a signal.
    writeFileSync(
      join(project, 'samples.d.ts'),
      `declare const url: string;
declare const init: RequestInit;
declare const LTX: string;
declare const headers: HeadersInit;
declare const signal: AbortSignal;
declare const request: { submit: Request; poll: (taskId: string) => string };
declare const submitUrl: string;
declare function statusUrl(taskId: string): string;
`,
    );
    symlinkSync(join(ROOT, 'node_modules', 'ioredis'), join(project, 'node_modules', 'ioredis'), 'dir');
    // The README's programmatic-API sample imports errspec itself: its build, as installed.
    symlinkSync(ROOT, join(project, 'node_modules', 'errspec'), 'dir');
    const samples = ['README.md', join('generated', 'README.md')].flatMap((file) =>
      [...readText(join(ROOT, file)).matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({ name: `sample-${file.replace(/\W/g, '-')}-${i + 1}.ts`, text: m[1] as string })),
    );
    expect(samples.length).toBeGreaterThanOrEqual(6);
    for (const sample of samples) writeFileSync(join(project, sample.name), `${sample.text}\nexport {};\n`);
    const result = await tsc();
    for (const sample of samples) removeDir(join(project, sample.name));
    removeDir(join(project, 'samples.d.ts'));
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it("resolves the subpaths under TypeScript 5/6's node10 resolution too", async () => {
    // node10 ignores `exports`; each subpath is a folder with an index.d.ts, which it finds anyway.
    // TypeScript 7 dropped node10 resolution; ts-morph's bundled TypeScript 6 still has it.
    const { Project, ts } = await import('ts-morph');
    const legacy = new Project({
      compilerOptions: { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, types: [], ignoreDeprecations: '6.0' },
    });
    legacy.createSourceFile(join(project, 'legacy.ts'), `import type { WubbleHttpCode } from '${PACKAGE_NAME}/wubble';\nexport const code: WubbleHttpCode = 'FORBIDDEN';\n`, { overwrite: true });
    expect(legacy.formatDiagnosticsWithColorAndContext(legacy.getPreEmitDiagnostics())).toBe('');
  });

  it('rejects an undeclared provider id, a fetch Response passed to classifyResponse, and a misspelt known code, at compile time', async () => {
    writeFileSync(
      join(project, 'bad.ts'),
      `import { classifyResponse } from '${PACKAGE_NAME}';
classifyResponse('openaii', { status: 500 });
classifyResponse('ltx', new Response('{}', { status: 500 }));
import * as ltx from '${PACKAGE_NAME}/ltx';
const e = ltx.classifyResponse({ status: 400 });
if (e.known && e.code === 'content_filterd_error') console.log('never');
`,
    );
    const result = await tsc();
    removeDir(join(project, 'bad.ts'));
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/bad\.ts\(6,16\): error TS2367: This comparison appears to be unintentional because the types '[^']*"content_filtered_error"[^']*' and '"content_filterd_error"' have no overlap/);
    expect(result.output).toMatch(/bad\.ts\(2,18\): error TS2345: Argument of type '"openaii"' is not assignable to parameter of type 'ProviderId'/);
    expect(result.output).toMatch(/bad\.ts\(3,25\): error TS2345: Argument of type 'Response' is not assignable to parameter of type 'HttpResponseLike'/);
    expect(result.output).toContain("Types of property 'bodyUsed' are incompatible");
  });
});
