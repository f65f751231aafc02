/**
 * Stage 4, emit: the model to the files of the generated package. Pure: returns files, writes
 * nothing. Output is sorted by path and every file ends with one newline, so runs are identical.
 */
import type { Model } from '../model.js';
import { runtimeCacheKey, type RuntimeCache } from '../build-cache.js';
import { compileRuntime, runtimeModules, runtimeSourceFiles } from './compile.js';
import { emitEnvelopeTypes } from './envelope-types.js';
import { printModule, type ModuleSpec } from './module.js';
import type { OutputFile, SourceModule } from './output.js';
import { emitPackageJson } from './package-json.js';
import { emitReadme } from './readme.js';
import { loadTsMorph, type TsMorph } from './printer.js';
import { providerEntryModule } from './provider-entry.js';
import { providerTableModule } from './provider-table.js';
import { rootModule } from './root-module.js';
import { taxonomyModule } from './taxonomy-module.js';
import { taxonomyRecord } from './taxonomy-record.js';
import { validatorModule } from './validators.js';
import type { OutputForm } from '../output-form.js';

export type { OutputFile, SourceModule } from './output.js';

export interface EmitInput {
  readonly model: Model;
  /** ajv's standalone code for each envelope, by envelope title. */
  readonly validatorSources: Readonly<Record<string, string>>;
  /** The runtime's TypeScript sources (generator/runtime), shipped compiled under `runtime/`. */
  readonly runtime: readonly { readonly path: string; readonly text: string }[];
  /** The runtime compiled by `npm run build`, used when its key matches this generator. */
  readonly runtimeCache?: { readonly cache: RuntimeCache | null; readonly fingerprint: string };
  /** The version the output folder's package.json has, kept when a release tool owns it (`version: keep`). */
  readonly keptVersion?: string | null;
  /** `package` (default): ESM JavaScript with `.d.ts` types and a package.json. `typescript`: sources an app builds as its own. */
  readonly form?: OutputForm;
  /** The canonical taxonomy's text when the spec maps onto it, recorded in the output (taxonomy-record.ts). */
  readonly canonicalTaxonomy?: string | null;
}

export interface EmitResult {
  readonly files: readonly OutputFile[];
  /** The generated modules as full TypeScript; tests type-check them with the emitted `.d.ts` files. */
  readonly modules: readonly SourceModule[];
}

export async function emit({ model, validatorSources, runtime, runtimeCache, keptVersion = null, form = 'package', canonicalTaxonomy = null }: EmitInput): Promise<EmitResult> {
  const tsMorph = loadTsMorph();
  const runtimeSources = runtimeModules(runtime);
  const generated: ModuleSpec[] = [
    taxonomyModule(model),
    rootModule(model),
    ...model.providers.flatMap((p) => [providerTableModule(p, model.taxonomy), validatorModule(p, validatorSources), providerEntryModule(p)]),
  ];
  const envelopeTypes = await Promise.all(model.providers.map(emitEnvelopeTypes));
  const files: OutputFile[] =
    form === 'typescript'
      ? [
          ...runtimeSourceFiles(runtimeSources),
          ...generated.map((m) => ({ path: `${m.path}.ts`, content: printModule(tsMorph, m, 'src') })),
          // Declarations only, so the same text serves as a `.ts` module.
          ...envelopeTypes.map((f) => ({ path: f.path.replace(/\.d\.ts$/, '.ts'), content: f.content })),
          emitReadme(model, form),
        ]
      : [
          ...cachedOrCompiled(tsMorph, runtimeSources, runtimeCache),
          ...generated.flatMap((m) => [
            { path: `${m.path}.js`, content: printModule(tsMorph, m, 'js') },
            { path: `${m.path}.d.ts`, content: printModule(tsMorph, m, 'dts') },
          ]),
          ...envelopeTypes,
          emitPackageJson(model, keptVersion),
          emitReadme(model, form),
        ];
  if (canonicalTaxonomy !== null) files.push(taxonomyRecord(canonicalTaxonomy));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const modules = [...generated.map((m) => ({ path: `${m.path}.ts`, text: printModule(tsMorph, m, 'ts'), from: m.from }))];
  return { files, modules };
}

function cachedOrCompiled(tsMorph: TsMorph, sources: readonly SourceModule[], runtimeCache: EmitInput['runtimeCache']): readonly OutputFile[] {
  const cached = runtimeCache?.cache;
  return cached && runtimeCache && cached.key === runtimeCacheKey(runtimeCache.fingerprint, tsMorph.ts.version) ? cached.files : compileRuntime(tsMorph, sources);
}
