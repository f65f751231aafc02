/**
 * The whole pipeline, load → validate → model → emit, as pure functions over what was read.
 * Only `write.ts` touches the output folder; the CLI wires the two.
 */
import { sortDiagnostics, type Diagnostic } from './diagnostics.js';
import type { FormatValidators } from './build-cache.js';
import type { EmitInput, EmitResult } from './emit/index.js';
import type { OutputForm } from './output-form.js';
import { compileEnvelopes } from './envelopes.js';
import { loadSpec, type FormatSchemas, type LoadedFile, type SpecSource } from './load.js';
import { buildModel, type Model } from './model.js';
import type { TaxonomySpec } from './spec.js';
import { upgradeFiles } from './upgrade.js';
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
  /** The spec folder as diagnostics name it. */
  readonly folder?: string;
  /** The version the output folder's package.json has now (see EmitInput). */
  readonly keptVersion?: string | null;
  readonly form?: OutputForm;
}

export interface CheckResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Files read in an older spec format (migrated as they were read): worth telling, never a problem. */
  readonly notes: readonly Diagnostic[];
  /** null when any problem was found. */
  readonly model: Model | null;
  /** The files the model was built from, for finding where a part of it was written. */
  readonly files: readonly LoadedFile[];
}

/** A check's result, and ajv's validator code for each envelope when the spec is valid. */
export interface Checked extends CheckResult {
  readonly validatorSources: Record<string, string> | null;
}

export interface GenerateResult extends CheckResult {
  /** null when any problem was found. */
  readonly output: EmitResult | null;
}

/**
 * Validates the spec and builds the model, reporting every problem found. The checks that need a
 * model (retry rules, examples) still run on the files that passed the earlier checks, so one run
 * reports as much as it can.
 */
export function check(inputs: Pick<Inputs, 'sources' | 'schemas' | 'formatValidators' | 'folder'>): Checked {
  const loaded = loadSpec(inputs.sources, inputs.folder);
  const upgraded = upgradeFiles(loaded.files);
  const { notes } = upgraded;
  const validated = validateFiles(upgraded.files, createSchemaValidator(inputs.schemas, inputs.formatValidators ?? null));
  const problems = [...loaded.diagnostics, ...upgraded.diagnostics, ...validated.diagnostics];
  const failedFiles = new Set(problems.map((d) => d.file));
  const taxonomy = validated.taxonomy && !failedFiles.has(validated.taxonomy.path) ? validated.taxonomy : null;
  const providers = validated.providers.filter((f) => !failedFiles.has(f.path));
  if (problems.length === 0 && providers.length === 0) {
    problems.push({ file: taxonomy?.path ?? 'spec', line: 1, col: 1, kind: 'io', message: 'the spec folder has no provider files', sourceLine: null });
  }
  if (!taxonomy || providers.length === 0) return failed(problems, notes);

  const settings = validated.settings && !failedFiles.has(validated.settings.path) ? validated.settings : null;
  const { model, diagnostics: modelProblems } = buildModel(taxonomy, providers, settings);
  problems.push(...modelProblems);
  if (modelProblems.length === 0) {
    const envelopes = compileEnvelopes(model);
    problems.push(...checkExamples(model, envelopes, upgraded.files));
    if (problems.length === 0) return { diagnostics: [], notes, model, files: upgraded.files, validatorSources: envelopes.sources() };
  }
  return failed(problems, notes);
}

function failed(diagnostics: readonly Diagnostic[], notes: readonly Diagnostic[]): Checked {
  return { diagnostics: sortDiagnostics(diagnostics), notes, model: null, files: [], validatorSources: null };
}

/**
 * The schema, then the semantic checks, on every file, so one run reports every problem; semantic
 * checks skip the parts the schema found malformed. Returns the files that passed both.
 */
function validateFiles(
  files: readonly LoadedFile[],
  validateSchema: ReturnType<typeof createSchemaValidator>,
): { diagnostics: Diagnostic[]; taxonomy: LoadedFile | null; settings: LoadedFile | null; providers: LoadedFile[] } {
  const diagnostics: Diagnostic[] = [];
  const schemaResults = new Map(files.map((file) => [file, validateSchema(file)]));
  const passed = files.filter((file) => schemaResults.get(file)!.diagnostics.length === 0);
  const taxonomy = passed.find((f) => f.role === 'taxonomy') ?? null;
  const settings = passed.find((f) => f.role === 'package') ?? null;
  const providers = passed.filter((f) => f.role === 'provider');

  const compileEnvelope = createEnvelopeCompiler();
  for (const file of files) {
    const { diagnostics: schemaProblems, malformed } = schemaResults.get(file)!;
    diagnostics.push(...schemaProblems);
    if (typeof file.value !== 'object' || file.value === null || Array.isArray(file.value)) continue;
    if (file.role === 'taxonomy') diagnostics.push(...checkTaxonomy(file, malformed));
    if (file.role === 'provider') {
      diagnostics.push(...checkProvider(file, taxonomy ? (taxonomy.value as TaxonomySpec) : null, compileEnvelope, malformed));
    }
  }
  diagnostics.push(...checkAcrossProviders(files.filter((f) => f.role === 'provider')));
  return { diagnostics, taxonomy, settings, providers };
}

/** Runs the emit stage in this thread; the CLI passes a worker instead (emit/emitter.ts). */
async function emitHere(input: EmitInput): Promise<EmitResult> {
  return (await import('./emit/index.js')).emit(input);
}

export async function generate(inputs: Inputs, emit: (input: EmitInput) => Promise<EmitResult> = emitHere): Promise<GenerateResult> {
  const checked = check(inputs);
  if (!checked.model || !checked.validatorSources) return { diagnostics: checked.diagnostics, notes: checked.notes, model: null, files: [], output: null };
  const output = await emit({
    model: checked.model,
    validatorSources: checked.validatorSources,
    runtime: inputs.runtime,
    runtimeCache: inputs.runtimeCache,
    keptVersion: inputs.keptVersion ?? null,
    form: inputs.form ?? 'package',
    canonicalTaxonomy: canonicalTaxonomyOf(checked.files),
  });
  return { diagnostics: [], notes: checked.notes, model: checked.model, files: checked.files, output };
}

/** The canonical taxonomy's text when the model maps onto it, as it is or extended; null when the spec's own replaces it. */
function canonicalTaxonomyOf(files: readonly LoadedFile[]): string | null {
  return files.find((f) => f.canonical)?.text ?? files.find((f) => f.canonicalBase !== undefined)?.canonicalBase ?? null;
}

/** Counts for the one-line summary. */
export function summarise(model: Model): { providers: number; codes: number } {
  const codes = model.providers.reduce(
    (n, p) => n + p.http.codes.length + (p.task && !p.task.codesFrom ? p.task.codes.length : 0),
    0,
  );
  return { providers: model.providers.length, codes };
}
