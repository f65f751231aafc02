/**
 * Stage 4, emit: the model to the files of the generated package. Pure: returns files, writes
 * nothing. Output is sorted by path and every file ends with a newline, so two runs are identical.
 */
import type { CompiledEnvelopes } from '../envelopes.js';
import type { Model } from '../model.js';
import { createCompiler } from './compile.js';
import { emitEnvelopeTypes } from './envelope-types.js';
import type { OutputFile, SourceModule } from './output.js';
import { emitPackageJson, emitReadme } from './package-files.js';
import { createPrinter } from './printer.js';
import { emitProviderEntry } from './provider-entry.js';
import { emitProviderTable } from './provider-table.js';
import { emitRootModule } from './root-module.js';
import { emitTaxonomyModule } from './taxonomy-module.js';
import { emitValidators } from './validators.js';

export type { OutputFile, SourceModule } from './output.js';

export interface EmitInput {
  readonly model: Model;
  readonly envelopes: CompiledEnvelopes;
  /** The runtime's TypeScript sources (generator/runtime), shipped compiled under `runtime/`. */
  readonly runtime: readonly { readonly path: string; readonly text: string }[];
}

export interface EmitResult {
  readonly files: readonly OutputFile[];
  /** The TypeScript behind every `.js` file but the validators; tests type-check them together. */
  readonly modules: readonly SourceModule[];
}

export async function emit({ model, envelopes, runtime }: EmitInput): Promise<EmitResult> {
  const printer = await createPrinter();
  const modules: SourceModule[] = [
    ...runtime.map((m) => ({
      path: `runtime/${m.path.split('/').pop()}`,
      text: m.text,
      from: m.path,
    })),
    emitTaxonomyModule(model, printer),
    emitRootModule(model, printer),
    ...model.providers.flatMap((p) => [emitProviderTable(p, printer), emitProviderEntry(p, printer)]),
  ];
  const compiler = createCompiler(printer.tsMorph);
  const files: OutputFile[] = [
    ...compiler.compile(modules),
    ...model.providers.flatMap((p) => emitValidators(p, envelopes, printer, compiler)),
    ...(await Promise.all(model.providers.map(emitEnvelopeTypes))),
    emitPackageJson(model),
    emitReadme(model),
  ];
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, modules };
}
