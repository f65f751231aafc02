/**
 * errspec's programmatic API: `import { generate, validate, diff } from 'errspec'`. The command
 * line is a thin layer over these; each reads what it is pointed at, runs the pipeline, and returns
 * what it found as data. Spec problems are results (`ok: false` with every diagnostic); only a
 * request that cannot be carried out (an unreadable folder, an output folder errspec may not
 * replace, an unknown revision) throws, as a UsageError or SideError.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readFormatValidators, readGeneratorFingerprint, readRuntimeCache } from './build-cache.js';
import type { Diagnostic } from './diagnostics.js';
import { diffModels } from './diff/index.js';
import type { Report } from './diff/report.js';
import { readSide, type SpecSide } from './diff/revision.js';
import { startEmitter, type Emitter } from './emit/emitter.js';
import { versionOf } from './emit/package-json.js';
import type { OutputForm } from './output-form.js';
import { readFormatSchemas, readRuntimeSources, readSpecDir, type SpecSource } from './load.js';
import { displayPath } from './paths.js';
import { openRegexCache } from './regex-cache.js';
import { check, generate as runPipeline, summarise, type CheckResult } from './pipeline.js';
import { UsageError } from './usage-error.js';
import type { Drift } from './drift.js';
import { isClean, outputHoldsSpec, syncOutput } from './write.js';
import { folderOf, readConfig, type Config } from './config.js';

export { UsageError } from './usage-error.js';
export { SideError } from './diff/revision.js';
export { ConfigError, readConfig, CONFIG_FILE, type Config } from './config.js';
export { formatDiagnostic, type Diagnostic, type SourcePosition } from './diagnostics.js';
export { fails, type FailOn } from './diff/index.js';
export { toGithub, toJson, toText, type Report } from './diff/report.js';
export type { Change, Severity } from './diff/types.js';
export type { Drift } from './drift.js';
export type { OutputForm } from './output-form.js';

export interface SpecOptions {
  /** The spec folder; default `spec`, relative to `cwd`. */
  readonly spec?: string;
  /** Where relative paths start, and what diagnostics' paths are relative to; default process.cwd(). */
  readonly cwd?: string;
  /**
   * The config file whose settings fill in what these options leave out: default
   * errspec.config.json in `cwd` when there is one; a path; or false for none.
   */
  readonly config?: string | false;
}

export interface ValidateResult {
  /** True when the spec has no problems. */
  readonly ok: boolean;
  /** Every problem found, sorted by file and position; empty when `ok`. */
  readonly diagnostics: readonly Diagnostic[];
  /** Files read in an older spec format: worth telling, never a problem. */
  readonly notes: readonly Diagnostic[];
  /** Counts for a summary; zero when the spec has problems. */
  readonly providers: number;
  readonly codes: number;
}

export interface GenerateOptions extends SpecOptions {
  /** The output folder; default `generated`, relative to `cwd`. errspec replaces it whole. */
  readonly out?: string;
  /** Write nothing; `ok` is false when the output folder differs from what the spec produces. */
  readonly check?: boolean;
  /** Files inside the output folder that errspec does not own and leaves in place. */
  readonly keep?: readonly string[];
  /** `package` (default): ESM JavaScript, `.d.ts` types and a package.json; `typescript`: sources for an app's `src/`. */
  readonly form?: OutputForm;
}

export interface GenerateResult extends ValidateResult {
  /** The output folder, absolute. */
  readonly out: string;
  /** The paths of the package's files, relative to `out`; empty when the spec has problems. */
  readonly files: readonly string[];
  /** How the output folder differed from the package before this run; null when the spec has problems. */
  readonly drift: Drift | null;
  /** True when this run changed the output folder. */
  readonly wrote: boolean;
}

export interface DiffOptions extends SpecOptions {
  /**
   * The output folder: its package.json holds the version when a release tool owns it (`version:
   * keep`), and at a revision, the canonical taxonomy its package was generated from.
   */
  readonly out?: string;
  /** A spec folder or a git revision (`HEAD~1`, `origin/main`, `REV:path`). */
  readonly old: string;
  /** Likewise; default the spec folder as it is now. */
  readonly new?: string;
}

export interface DiffResult {
  /** False when either side is not a valid spec; the report is then null. */
  readonly ok: boolean;
  readonly report: Report | null;
  /** The problems of each side that is not a valid spec, by the side's label. */
  readonly problems: readonly { readonly side: string; readonly diagnostics: readonly Diagnostic[] }[];
  /** The revision NEW was read from, when it was one (annotations name its files without it). */
  readonly newRevision: string | null;
}

/** Validates a spec folder; writes nothing but the cache of regex verdicts (regex-cache.ts). */
export function validate(options: SpecOptions = {}): ValidateResult {
  const { cwd, spec } = settingsOf(options);
  return validateResult(specChecker(cwd)(readSources(spec, cwd), displayPath(spec, cwd)));
}

/** Validates the spec and writes (or, with `check`, compares) the package in the output folder. */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const emitter = startEmitter();
  try {
    return await generateWith(emitter, options);
  } finally {
    emitter.stop();
  }
}

/** `generate` with an emitter the caller keeps (the CLI's --watch keeps one warm). */
export async function generateWith(emitter: Emitter, options: GenerateOptions): Promise<GenerateResult> {
  const { cwd, spec, out, config } = settingsOf(options);
  const form = options.form ?? config.form ?? 'package';
  if (outputHoldsSpec(spec, out)) {
    throw new UsageError(`the output folder must not be the spec folder or contain it: errspec replaces the whole output folder`);
  }
  const fingerprint = readGeneratorFingerprint();
  const regexCache = openRegexCache(cwd, fingerprint);
  const result = await runPipeline(
    {
      sources: readSources(spec, cwd),
      schemas: readFormatSchemas(),
      runtime: readRuntimeSources(),
      runtimeCache: { cache: readRuntimeCache(), fingerprint },
      formatValidators: readFormatValidators(fingerprint),
      folder: displayPath(spec, cwd),
      keptVersion: keptVersionIn(out),
      form,
    },
    emitter.run,
  );
  regexCache.save();
  if (!result.model || !result.output) return { ...validateResult(result), out, files: [], drift: null, wrote: false };
  const { files } = result.output;
  const { drift, wrote, problem } = syncOutput(out, files, options.keep ?? config.keep, options.check ?? false);
  if (problem !== null) throw new UsageError(problem);
  return { ...validateResult(result), ok: wrote || isClean(drift), out, files: files.map((f) => f.path), drift, wrote };
}

/** Compares two versions of a spec and ranks every change (see `errspec diff --help`). */
export function diff(options: DiffOptions): DiffResult {
  const { cwd, spec, out } = settingsOf(options);
  const before = readSide(options.old, spec, cwd, out);
  const after: SpecSide =
    options.new === undefined
      ? { label: displayPath(spec, cwd), sources: readSources(spec, cwd), folder: displayPath(spec, cwd), revision: null }
      : readSide(options.new, spec, cwd, out);
  const checkSpec = specChecker(cwd);
  const old = checkSpec(before.sources, before.folder);
  const now = checkSpec(after.sources, after.folder);
  const problems = [
    ...(old.model ? [] : [{ side: before.label, diagnostics: old.diagnostics }]),
    ...(now.model ? [] : [{ side: after.label, diagnostics: now.diagnostics }]),
  ];
  if (!old.model || !now.model) return { ok: false, report: null, problems, newRevision: after.revision };
  // A version a release tool owns is the one the package has now: the base of the advice.
  const released = now.model.package.version ?? keptVersionIn(out);
  const report = diffModels({ label: before.label, model: old.model, files: old.files }, { label: after.label, model: now.model, files: now.files }, released);
  return { ok: true, report, problems, newRevision: after.revision };
}

/** The options, with the config's settings where they leave something out. */
function settingsOf(options: SpecOptions & { readonly out?: string }): { cwd: string; spec: string; out: string; config: Config } {
  const cwd = resolve(options.cwd ?? process.cwd());
  const config = options.config === false ? { file: null, keep: [] } : readConfig(cwd, options.config);
  return { cwd, spec: folderOf(options.spec, config.spec, 'spec', cwd), out: folderOf(options.out, config.out, 'generated', cwd), config };
}

/** The version the package in `out` has now, which a release tool owns under `version: keep`. */
function keptVersionIn(out: string): string | null {
  const manifest = join(out, 'package.json');
  return existsSync(manifest) ? versionOf(readFileSync(manifest, 'utf8')) : null;
}

function validateResult(result: CheckResult): ValidateResult {
  const counts = result.model ? summarise(result.model) : { providers: 0, codes: 0 };
  return { ok: result.model !== null, diagnostics: result.diagnostics, notes: result.notes, ...counts };
}

/**
 * Checks spec sources as validate, diff and docs do; the format's schemas and validators are read
 * once, and regex verdicts come from and go to the cache of the project around `cwd`.
 */
export function specChecker(cwd = process.cwd()): (sources: readonly SpecSource[], folder: string) => ReturnType<typeof check> {
  const schemas = readFormatSchemas();
  const fingerprint = readGeneratorFingerprint();
  const formatValidators = readFormatValidators(fingerprint);
  const regexCache = openRegexCache(cwd, fingerprint);
  return (sources, folder) => {
    const checked = check({ sources, schemas, formatValidators, folder });
    regexCache.save();
    return checked;
  };
}

const FOLDER_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such folder',
  ENOTDIR: 'not a folder',
  EACCES: 'permission denied',
};

export function readSources(spec: string, cwd: string): SpecSource[] {
  try {
    return readSpecDir(spec, cwd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`cannot read the spec folder ${displayPath(spec, cwd)}: ${FOLDER_ERRORS[code] ?? (error as Error).message}`);
  }
}
