/**
 * Checks that hold for every provider of any spec, run against a generated package: the shipped
 * `generated/` (examples.test.ts) and a package generated from the shipped spec plus a provider
 * added the way the README says (add-provider.test.ts). Nothing here names a provider.
 */
import { fc, test } from '@fast-check/vitest';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClassifiedError } from '../generated/index.js';
import type { ProviderTable, RetryRule } from '../generated/runtime.js';
import { tableName } from '../generator/emit/names.js';
import type { EmitResult } from '../generator/emit/index.js';
import type { ExampleModel, LayerModel, Model, ProviderModel } from '../generator/model.js';
import { genericReader } from '../generator/tables.js';
import { writeOutput } from '../generator/write.js';
import { diagnosticLines, generateDir, specFolder, tempDir } from './helpers.js';

/** The generated package's root, as any spec makes it. */
export interface PackageRoot {
  readonly providerIds: readonly string[];
  readonly classifyResponse: (provider: string, response: unknown) => ClassifiedError;
  readonly classifyTask: (provider: string, task: unknown) => ClassifiedError | null;
  readonly classifyException: (error: unknown, provider?: string) => ClassifiedError;
  readonly retryDelayMs: (error: ClassifiedError, attempt: number, options?: { random?: () => number }) => number | null;
  readonly [name: string]: unknown;
}

/** A provider's subpath, as any spec makes it. */
export type Subpath = Readonly<Record<string, unknown>> & {
  readonly classifyResponse: (response: unknown) => ClassifiedError;
  readonly classifyTask: (task: unknown) => ClassifiedError | null;
};

export interface LoadedPackage {
  readonly root: PackageRoot;
  readonly subpaths: ReadonlyMap<string, Subpath>;
  /** Each provider's compiled table, by id. */
  readonly tables: ReadonlyMap<string, ProviderTable<{ provider: string; category: string; action: string }>>;
}

/** Imports a generated package from its folder: the root and every provider's subpath. */
export async function loadPackage(dir: string, model: Model): Promise<LoadedPackage> {
  const root = (await import(pathToFileURL(join(dir, 'index.js')).href)) as PackageRoot;
  const subpaths = new Map<string, Subpath>();
  const tables = new Map<string, LoadedPackage['tables'] extends ReadonlyMap<string, infer T> ? T : never>();
  for (const provider of model.providers) {
    const sub = (await import(pathToFileURL(join(dir, provider.id, 'index.js')).href)) as Subpath;
    subpaths.set(provider.id, sub);
    tables.set(provider.id, sub[tableName(provider.id)] as never);
  }
  return { root, subpaths, tables };
}

/**
 * A package generated from these spec files into a folder of its own, checked clean (no
 * diagnostic, no type error) and loaded; every folder made is pushed to `made` for removal.
 */
export async function generatedPackage(files: Record<string, string>, made: string[]): Promise<{ root: PackageRoot; readme: string; model: Model; output: EmitResult }> {
  const dir = specFolder(files);
  made.push(dir);
  const result = await generateDir(dir);
  expect(diagnosticLines(result)).toEqual([]);
  expect(await typeErrors(result.output!)).toBe('');
  const out = join(tempDir(), 'generated');
  made.push(join(out, '..'));
  writeOutput(out, result.output!.files);
  const readme = result.output!.files.find((f) => f.path === 'README.md')!.content;
  return { root: (await loadPackage(out, result.model!)).root, readme, model: result.model!, output: result.output! };
}

/** Type errors of the generated modules as one whole program, with the emitted declarations; '' when none. */
export async function typeErrors(output: EmitResult): Promise<string> {
  const { Project, ts } = await import('ts-morph');
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      strict: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    },
  });
  for (const module of output.modules) project.createSourceFile(`/pkg/${module.path}`, module.text);
  for (const file of output.files.filter((f) => /^(runtime|executor|types)\.d\.ts$/.test(f.path.split('/').pop()!))) {
    project.createSourceFile(`/pkg/${file.path}`, file.content);
  }
  project.createSourceFile('/pkg/package.json', '{"type":"module"}');
  return project.formatDiagnosticsWithColorAndContext(project.getPreEmitDiagnostics());
}

/** The rule an error without a declared code retries by, read from the generated tables. */
export function ruleOf(pkg: LoadedPackage, taxonomyRule: (category: string) => RetryRule | null, error: ClassifiedError): RetryRule | null {
  const table = pkg.tables.get(error.provider as string);
  if (!table) return taxonomyRule(error.category);
  const own = error.status === null ? undefined : table.http.statuses.get(error.status);
  const outcome = typeof own === 'string' ? table.http.codes.get(own) : own;
  if (outcome?.retry && outcome.category === error.category) return outcome.retry;
  const base = taxonomyRule(error.category);
  return base && { ...base, ...(error.source === 'network' ? table.networkRetryDefaults : table.retryDefaults) };
}

export function registerProviderChecks(model: Model, load: () => Promise<LoadedPackage>): void {
  let pkg: LoadedPackage;
  const loaded = async (): Promise<LoadedPackage> => (pkg ??= await load());

  describe('the package lists every provider of the spec', () => {
    it('in providerIds, with a subpath each that exports every function of the root', async () => {
      const { root, subpaths } = await loaded();
      expect([...root.providerIds]).toEqual(model.providers.map((p) => p.id));
      const functions = Object.keys(root).filter((name) => typeof root[name] === 'function');
      for (const [id, sub] of subpaths) {
        expect(functions.filter((name) => typeof sub[name] !== 'function'), id).toEqual([]);
      }
    });
  });

  describe('spec examples through the generated package', () => {
    const rows = model.providers.flatMap((provider) =>
      [provider.http, provider.task].flatMap((layer) =>
        (layer?.examples ?? []).map((example): [string, ProviderModel, ExampleModel] => [
          `${provider.id} ${example.layer}: ${example.name} (${example.at.file}:${example.at.line})`,
          provider,
          example,
        ]),
      ),
    );
    it('covers every provider and layer', () => {
      for (const provider of model.providers) {
        expect(rows.some(([, p, e]) => p === provider && e.layer === 'http'), provider.id).toBe(true);
        if (provider.task) expect(rows.some(([, p, e]) => p === provider && e.layer === 'task'), provider.id).toBe(true);
      }
    });
    it.each(rows)('%s', async (_name, provider, example) => {
      const { root, subpaths } = await loaded();
      const sub = subpaths.get(provider.id)!;
      const response = { status: example.status ?? 0, headers: example.headers, body: example.body };
      // A task example with a status or headers is a status response, read as the poller reads one.
      const asResponse = example.layer === 'task' && (example.status !== null || Object.keys(example.headers).length > 0);
      const fetched = (): Response =>
        new Response(typeof example.body === 'string' ? example.body : JSON.stringify(example.body), { status: example.status ?? 200, headers: example.headers });
      type Classify = (...args: unknown[]) => ClassifiedError | null | Promise<ClassifiedError | null>;
      const call = (entry: Readonly<Record<string, unknown>>, bound: boolean) => {
        const fn = (name: string): Classify => entry[name] as Classify;
        const args = (...rest: unknown[]): unknown[] => (bound ? rest : [provider.id, ...rest]);
        if (example.layer === 'http') return fn(example.expect === null ? 'classifySuccess' : 'classifyResponse')(...args(response));
        return asResponse ? fn('classifyFetchTask')(...args(fetched())) : fn('classifyTask')(...args(example.body));
      };
      const result = await call(root, false);
      expect(await call(sub, true)).toEqual(result);
      if (example.expect === null) {
        expect(result).toBeNull();
        return;
      }
      // A failed status request is the HTTP failure it is.
      const source = asResponse && (example.status ?? 200) >= 300 ? 'http' : example.layer;
      expect(result).toMatchObject({ ...example.expect, provider: provider.id, source });
      if (example.layer === 'http' && typeof example.body === 'object') {
        // Raw JSON text classifies exactly as the parsed body does.
        expect(root.classifyResponse(provider.id, { ...response, body: JSON.stringify(example.body) })).toEqual(result);
      }
    });
  });

  describe('generated field readers agree with the generic reader the example checks use', () => {
    for (const provider of model.providers) {
      for (const layer of [provider.http, provider.task]) {
        if (!layer) continue;
        test.prop([bodyFor(layer)], { numRuns: 100 })(`${provider.id} ${layer.layer}`, async (value) => {
          const table = (await loaded()).tables.get(provider.id)!;
          const read = layer.layer === 'http' ? table.http.read : table.task!.read;
          expect(read(value as never)).toEqual(genericReader(layer)(value as never));
        });
      }
    }
  });

  describe('classifiers are total for every provider', () => {
    const anything = fc.oneof(fc.anything(), fc.jsonValue(), fc.string());
    for (const provider of model.providers) {
      test.prop([fc.integer({ min: 100, max: 599 }), anything, fc.dictionary(fc.string(), fc.string())], { numRuns: 100 })(
        `${provider.id}`,
        async (status, body, headers) => {
          const { root } = await loaded();
          const http = root.classifyResponse(provider.id, { status, headers, body });
          expect([http.provider, http.source, http.status]).toEqual([provider.id, 'http', status]);
          const task = root.classifyTask(provider.id, body);
          if (task !== null) expect([task.provider, task.source]).toEqual([provider.id, 'task']);
          const delay = root.retryDelayMs(http, 1);
          expect(delay === null || (Number.isFinite(delay) && delay >= 0)).toBe(true);
        },
      );
    }
  });
}

/** Bodies with every field path of the layer present or not, holding any JSON or a likely code. */
function bodyFor(layer: LayerModel): fc.Arbitrary<unknown> {
  const codes = layer.codes.map((c) => c.code);
  const leaf = fc.oneof(fc.jsonValue(), fc.constantFrom('length', ...codes));
  const paths = [...layer.fields.code, ...layer.fields.message, ...layer.fields.param, ...layer.fields.suggestion, ...layer.fields.subtype, layer.fields.status].filter(
    (p): p is readonly string[] => p !== null,
  );
  const build = (prefix: readonly string[]): fc.Arbitrary<unknown> => {
    const keys = [...new Set(paths.filter((p) => p.length > prefix.length && prefix.every((k, i) => p[i] === k)).map((p) => p[prefix.length]!))];
    if (keys.length === 0) return leaf;
    return fc.oneof(leaf, fc.record(Object.fromEntries(keys.map((k) => [k, build([...prefix, k])])), { requiredKeys: [] }));
  };
  return fc.oneof(fc.jsonValue(), build([]));
}
