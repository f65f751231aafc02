/**
 * The whole pipeline, load → validate → model → emit, as pure functions over what was read.
 * Only `write.ts` touches the output folder; the CLI wires the two.
 */
import { sortDiagnostics, type Diagnostic } from './diagnostics.js';
import type { FormatValidators } from './build-cache.js';
import type { EmitInput, EmitResult } from './emit/index.js';
import { compileEnvelopes, validatorSources } from './envelopes.js';
import { loadSpec, type FormatSchemas, type LoadedFile, type SpecSource } from './load.js';
import { buildModel, type Model } from './model.js';
import type { TaxonomySpec } from './spec.js';
import { checkExamples } from './validate/examples.js';
import { createSchemaValidator } from './validate/schema.js';
import { checkAcrossProviders, checkProvider, checkTaxonomy, createEnvelopeCompiler } from './validate/semantic.js';

export interface Inputs {
  readonly sources: readonly SpecSource[];
  readonly schemas: FormatSchemas;
  readonly runtime: readonly { readonly path: string; readonly text: string }[];
  readonly runtimeCache?: EmitInput['runtimeCache'];
  /** The format validators from the build cache, when fresh. */
  readonly formatValidators?: FormatValidators | null;
}

export interface CheckResult {
  readonly diagnostics: readonly Diagnostic[];
  /** null when any problem was found. */
  readonly model: Model | null;
}

export interface GenerateResult extends CheckResult {
  /** null when any problem was found. */
  readonly output: EmitResult | null;
}

/** Validates the spec and builds the model, reporting every problem found. */
export function check(inputs: Pick<Inputs, 'sources' | 'schemas' | 'formatValidators'>): CheckResult & { validatorSources: Record<string, string> | null } {
  const loaded = loadSpec(inputs.sources);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const validateSchema = createSchemaValidator(inputs.schemas, inputs.formatValidators ?? null);

  // Every file gets every check; semantic checks skip the parts the schema found malformed.
  const valid: LoadedFile[] = [];
  const malformed = new Map<LoadedFile, string[]>();
  for (const file of loaded.files) {
    const result = validateSchema(file);
    diagnostics.push(...result.diagnostics);
    malformed.set(file, result.malformed);
    if (result.diagnostics.length === 0) valid.push(file);
  }
  const taxonomyFile = valid.find((f) => f.role === 'taxonomy') ?? null;
  const providerFiles = valid.filter((f) => f.role === 'provider');
  const taxonomySpec = taxonomyFile ? (taxonomyFile.value as TaxonomySpec) : null;
  const compileEnvelope = createEnvelopeCompiler();
  for (const file of loaded.files) {
    if (typeof file.value !== 'object' || file.value === null || Array.isArray(file.value)) continue;
    const found =
      file.role === 'taxonomy'
        ? checkTaxonomy(file, malformed.get(file))
        : checkProvider(file, taxonomySpec, compileEnvelope, malformed.get(file));
    diagnostics.push(...found);
  }
  diagnostics.push(...checkAcrossProviders(loaded.files.filter((f) => f.role === 'provider')));
  if (providerFiles.length === 0 && loaded.files.length === valid.length && diagnostics.length === 0) {
    diagnostics.push({ file: taxonomyFile?.path ?? 'spec', line: 1, col: 1, kind: 'io', message: 'the spec folder has no provider files', sourceLine: null });
  }
  if (diagnostics.length > 0 || !taxonomyFile) return { diagnostics: sortDiagnostics(diagnostics), model: null, validatorSources: null };

  const { model, diagnostics: modelProblems } = buildModel(taxonomyFile, providerFiles);
  if (modelProblems.length > 0) return { diagnostics: sortDiagnostics(modelProblems), model: null, validatorSources: null };

  const envelopes = compileEnvelopes(model);
  const exampleProblems = checkExamples(model, envelopes, valid);
  if (exampleProblems.length > 0) return { diagnostics: sortDiagnostics(exampleProblems), model: null, validatorSources: null };
  return { diagnostics: [], model, validatorSources: validatorSources(model, envelopes) };
}

export async function generate(inputs: Inputs): Promise<GenerateResult> {
  const checked = check(inputs);
  if (!checked.model || !checked.validatorSources) return { diagnostics: checked.diagnostics, model: null, output: null };
  const { emit } = await import('./emit/index.js');
  const output = await emit({ model: checked.model, validatorSources: checked.validatorSources, runtime: inputs.runtime, runtimeCache: inputs.runtimeCache });
  return { diagnostics: [], model: checked.model, output };
}

/** Counts for the one-line summary. */
export function summarise(model: Model): { providers: number; codes: number } {
  const codes = model.providers.reduce(
    (n, p) => n + p.http.codes.length + (p.task && !p.task.codesFrom ? p.task.codes.length : 0),
    0,
  );
  return { providers: model.providers.length, codes };
}
