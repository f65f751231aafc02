/**
 * The `errspec` command line: flags in, exit code out. All behaviour lives in the pipeline; this
 * file only reads arguments, calls it, and prints. What each command does, and its exit codes,
 * are in HELP below.
 */
import { watch } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic, type Diagnostic } from './diagnostics.js';
import { loadSpec } from './load.js';
import { migrateSpec } from './migrate.js';
import { SPEC_FORMAT } from './upgrade.js';
import { startEmitter, type Emitter } from './emit/emitter.js';
import { displayPath } from './paths.js';
import { closest } from './suggest.js';
import { outputHoldsSpec, rewriteFiles, syncOutput } from './write.js';
import { fails, type FailOn } from './diff/index.js';
import { toGithub, toJson, toText } from './diff/report.js';
import { repoPathFrom, SideError } from './diff/revision.js';
import { diff, generateWith, readSources, specChecker, validate } from './api.js';
import { CONFIG_FILE, ConfigError, folderOf, readConfig } from './config.js';
import { fixCommand } from './fix-command.js';
import { runInit, type InitOptions } from './init.js';
import { UsageError } from './usage-error.js';
import { OUTPUT_FORMS, type OutputForm } from './output-form.js';
import { ERRSPEC_VERSION } from './version.js';

const HELP = `errspec: compile HTTP API error documentation (YAML) into a classifier package

Usage:
  errspec generate [--spec DIR] [--out DIR] [--form package|typescript] [--check] [--watch]
  errspec validate [--spec DIR]
  errspec diff OLD [NEW] [--spec DIR] [--out DIR] [--json]
               [--format text|json|github] [--fail-on breaking|behaviour|any|none]
  errspec docs [--spec DIR] [--out DIR]
  errspec migrate [--spec DIR]
  errspec init [DIR] [--scripts]
  errspec --help | --version

Commands:
  generate   Validate the spec and write the package to the output folder.
  validate   Validate the spec only; write no output.
  diff       Compare two versions of the spec and rank every change by what it
             means for the package's users (breaking, behaviour, additive,
             docs), with semver advice. OLD and NEW are spec folders or git
             revisions (HEAD~1, origin/main, a tag; REV:path for a spec folder
             elsewhere); NEW defaults to the spec folder as it is now. A
             revision of a spec on errspec's canonical taxonomy maps onto the
             copy its package recorded (OUT/taxonomy.yaml), when it holds one,
             so an upgrade of errspec shows what it changes.
  docs       Write the reference site (plain HTML, works from file://).
  migrate    Rewrite spec files written in an older spec format in today's
             (format ${SPEC_FORMAT}), changing only what the format changed. Every
             command reads older formats as they are; this makes it explicit.
  init       Start a spec in a new project: DIR (default spec) with a starter
             provider and the package's settings, and errspec.config.json
             beside package.json. Writes nothing if either exists already.

Options:
  --spec DIR          The spec folder (default: spec); for diff, the folder a
                      revision is read from.
  --out DIR           The output folder (default: generated; docs for docs);
                      for diff, where a revision's recorded taxonomy is read.
  --config FILE       The config file (default: errspec.config.json here, when
                      there is one). It sets spec, out, docs, form and keep
                      (files in the output folders that errspec leaves alone,
                      such as CHANGELOG.md or a site's CNAME); flags win.
  --scripts           init: add the errors:generate, errors:check and
                      errors:diff scripts to package.json.
  --form FORM         generate: package (default; ESM JavaScript with .d.ts
                      types and a package.json, for a workspace or file:
                      dependency) or typescript (sources to generate into an
                      app's src/, built by its tsc or bundler).
  --check             Write no output; exit 1 and list the stale files when the
                      output folder differs from what the spec produces.
  --watch             Regenerate whenever a spec file changes.
  --format FORMAT     diff output: text (default), json, or github (workflow
                      annotations on each changed line).
  --json              Same as --format json.
  --fail-on LEVEL     diff exits 1 on a change at or above LEVEL: breaking
                      (default), behaviour, any (docs included) or none.
  -h, --help          Show this help.
  --version           Show the version.

A spec folder without a taxonomy.yaml uses errspec's canonical taxonomy, and
generate records the one it used in the output folder (taxonomy.yaml).

generate, validate and diff keep recheck's verdicts on the spec's regexes in
node_modules/.cache/errspec ($CACHE_DIR/errspec when CACHE_DIR is set), since
proving a regex safe takes up to half a second; delete it whenever you like.

Exit codes: 0 success, 1 spec errors, drift, or a diff change at or above
--fail-on, 2 usage errors (bad arguments, a folder or revision that cannot be
read, an output folder errspec may not replace). A spec error prints
file:line:col: message for every problem found, and the output folder is left
exactly as it was.
`;

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
}

const defaultIo: Io = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  cwd: process.cwd(),
};

type Options = GenerateOptions | ValidateOptions | DiffOptions | DocsOptions | MigrateOptions | InitOptions;

interface GenerateOptions {
  readonly command: 'generate';
  readonly spec: string;
  readonly out: string;
  readonly check: boolean;
  readonly watch: boolean;
  readonly keep: readonly string[];
  readonly form: OutputForm;
  /** The arguments as given, for naming the command that fixes a stale output folder. */
  readonly argv: readonly string[];
}

interface ValidateOptions {
  readonly command: 'validate';
  readonly spec: string;
}

interface DiffOptions {
  readonly command: 'diff';
  readonly spec: string;
  readonly old: string;
  /** null: the spec folder as it is now. */
  readonly new: string | null;
  /** The output folder, whose package.json has the version a release tool owns. */
  readonly out: string;
  readonly format: 'text' | 'json' | 'github';
  readonly failOn: FailOn;
}

interface DocsOptions {
  readonly command: 'docs';
  readonly spec: string;
  readonly out: string;
  /** Files in the site's folder errspec leaves alone (a CNAME, a .nojekyll for GitHub Pages). */
  readonly keep: readonly string[];
}

interface MigrateOptions {
  readonly command: 'migrate';
  readonly spec: string;
}

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let options: Options | 'help' | 'version';
  try {
    options = parseOptions(argv, io.cwd);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 2;
    }
    if (!(error instanceof UsageError) && !(error instanceof TypeError)) throw error;
    io.err(`errspec: ${usageMessage(error)}\nRun 'errspec --help' for usage.`);
    return 2;
  }
  if (options === 'help') {
    io.out(HELP.trimEnd());
    return 0;
  }
  if (options === 'version') {
    io.out(version());
    return 0;
  }
  try {
    switch (options.command) {
      case 'validate':
        return runValidate(options, io);
      case 'diff':
        return runDiff(options, io);
      case 'docs':
        return await runDocs(options, io);
      case 'migrate':
        return runMigrate(options, io);
      case 'init':
        return runInit(options, io);
      case 'generate':
        return options.watch ? await runWatch(options, io) : await runGenerate(options, io);
    }
  } catch (error) {
    io.err(`errspec: ${error instanceof Error ? error.message : String(error)}`);
    // A folder or revision that cannot be read or replaced is a usage error: the command line named it.
    return error instanceof UsageError || error instanceof SideError || error instanceof ConfigError ? 2 : 1;
  }
}

const COMMANDS = ['generate', 'validate', 'diff', 'docs', 'migrate', 'init'] as const;
const FORMATS = ['text', 'json', 'github'] as const;
const FAIL_ON = ['breaking', 'behaviour', 'any', 'none'] as const;
const OPTIONS = {
  spec: { type: 'string' },
  out: { type: 'string' },
  check: { type: 'boolean' },
  watch: { type: 'boolean' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  config: { type: 'string' },
  scripts: { type: 'boolean' },
  form: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** The options each command takes, beside --spec, --config, --help and --version. */
const COMMAND_OPTIONS: Readonly<Record<(typeof COMMANDS)[number], readonly string[]>> = {
  generate: ['out', 'check', 'watch', 'form'],
  validate: [],
  diff: ['out', 'json', 'format', 'fail-on'],
  docs: ['out'],
  migrate: [],
  init: ['scripts'],
};

/** parseArgs suggests `-- "--x"` for an unknown option, which means nothing here; a near option does. */
function usageMessage(error: Error): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message)?.[1];
  if (unknown === undefined) return error.message;
  const near = closest(unknown.replace(/^-+/, '').toLowerCase(), Object.keys(OPTIONS));
  return `unknown option '${unknown}'${near ? ` (did you mean '--${near}'?)` : ''}`;
}

function version(): string {
  return ERRSPEC_VERSION;
}

function parseOptions(argv: readonly string[], cwd: string): Options | 'help' | 'version' {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
  if (values.help) return 'help';
  if (values.version) return 'version';
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError(`missing command (${COMMANDS.join(', ')})`);
  if (!isCommand(command)) {
    const near = closest(command.toLowerCase(), COMMANDS);
    throw new UsageError(`unknown command '${command}'${near ? ` (did you mean '${near}'?)` : ''}`);
  }
  const allowed = COMMAND_OPTIONS[command];
  const stray = Object.keys(values).find((key) => !['spec', 'config', 'help', 'version', ...allowed].includes(key));
  if (stray !== undefined) {
    throw new UsageError(`${command} does not take --${stray}${allowed.length > 0 ? ` (it takes --spec, --config, ${allowed.map((o) => `--${o}`).join(', ')})` : ' (only --spec and --config)'}`);
  }
  if (command === 'init') {
    if (values.config !== undefined) throw new UsageError(`init writes ${CONFIG_FILE} beside package.json and takes no --config`);
    return parseInit(values, rest, cwd);
  }
  const config = readConfig(cwd, values.config);
  const spec = folderOf(values.spec, config.spec, 'spec', cwd);
  if (command === 'diff') return parseDiff(values, rest, spec, folderOf(values.out, config.out, 'generated', cwd));
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
  if (command === 'validate' || command === 'migrate') return { command, spec };
  const out = command === 'docs' ? folderOf(values.out, config.docs, 'docs', cwd) : folderOf(values.out, config.out, 'generated', cwd);
  if (outputHoldsSpec(spec, out)) {
    throw new UsageError(`--out must not be the spec folder or contain it: errspec replaces the whole output folder`);
  }
  if (command === 'docs') return { command, spec, out, keep: config.keep };
  if (values.check && values.watch) throw new UsageError('--check and --watch cannot be combined');
  const form = values.form ?? config.form ?? 'package';
  if (!isOneOf(form, OUTPUT_FORMS)) throw new UsageError(`--form must be one of ${OUTPUT_FORMS.join(', ')}, not '${form}'`);
  return { command, spec, out, check: values.check ?? false, watch: values.watch ?? false, keep: config.keep, form, argv };
}

/** `init [DIR]`: DIR is the spec folder to create (default spec); --spec says the same. */
function parseInit(values: { spec?: string; scripts?: boolean }, rest: readonly string[], cwd: string): InitOptions {
  const [dir, extra] = rest;
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}' (init takes one folder)`);
  if (dir !== undefined && values.spec !== undefined && resolve(cwd, dir) !== resolve(cwd, values.spec)) {
    throw new UsageError(`init got two spec folders: '${dir}' and --spec '${values.spec}'`);
  }
  return { command: 'init', spec: resolve(cwd, dir ?? values.spec ?? 'spec'), scripts: values.scripts ?? false };
}

function parseDiff(values: { json?: boolean; format?: string; 'fail-on'?: string }, rest: readonly string[], spec: string, out: string): DiffOptions {
  const [old, now, extra] = rest;
  if (old === undefined) throw new UsageError('diff needs OLD: a spec folder or a git revision (e.g. errspec diff HEAD~1)');
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}' (diff takes OLD and NEW)`);
  const format = values.format ?? (values.json ? 'json' : 'text');
  if (!isOneOf(format, FORMATS)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  if (values.json && format !== 'json') throw new UsageError(`--json and --format ${format} cannot be combined`);
  const failOn = values['fail-on'] ?? 'breaking';
  if (!isOneOf(failOn, FAIL_ON)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, not '${failOn}'`);
  return { command: 'diff', spec, old, new: now ?? null, out, format, failOn };
}

function isCommand(value: string): value is (typeof COMMANDS)[number] {
  return isOneOf(value, COMMANDS);
}

function isOneOf<T extends string>(value: string, list: readonly T[]): value is T {
  return (list as readonly string[]).includes(value);
}

/** Files read in an older spec format: said once each, before anything else. */
function reportNotes(notes: readonly Diagnostic[], io: Io): void {
  for (const note of notes) io.err(formatDiagnostic(note));
}

function reportProblems(diagnostics: readonly Diagnostic[], io: Io): void {
  for (const d of diagnostics) io.err(formatDiagnostic(d));
  const files = new Set(diagnostics.map((d) => d.file)).size;
  io.err(`errspec: ${plural(diagnostics.length, 'problem')} in ${plural(files, 'file')}`);
}

function runValidate(options: ValidateOptions, io: Io): number {
  const result = validate({ spec: options.spec, cwd: io.cwd, config: false });
  reportNotes(result.notes, io);
  if (!result.ok) {
    reportProblems(result.diagnostics, io);
    return 1;
  }
  io.out(`errspec: ${display(options.spec, io)} is valid (${plural(result.providers, 'provider')}, ${plural(result.codes, 'code')})`);
  return 0;
}

async function runGenerate(options: GenerateOptions, io: Io, emitter?: Emitter): Promise<number> {
  const started = performance.now();
  const own = emitter ?? startEmitter();
  try {
    return report(await generateWith(own, { spec: options.spec, out: options.out, check: options.check, keep: options.keep, form: options.form, cwd: io.cwd, config: false }), options, io, started);
  } finally {
    if (!emitter) own.stop();
  }
}

function report(result: Awaited<ReturnType<typeof generateWith>>, options: GenerateOptions, io: Io, started: number): number {
  reportNotes(result.notes, io);
  if (!result.drift) {
    reportProblems(result.diagnostics, io);
    return 1;
  }
  const { drift } = result;
  const counts = `${plural(result.providers, 'provider')}, ${plural(result.codes, 'code')}, ${plural(result.files.length, 'file')}`;
  const out = display(options.out, io);
  if (options.check) {
    if (result.ok) {
      io.out(`errspec: ${out}/ is up to date (${counts})`);
      return 0;
    }
    io.err(`errspec: ${out}/ is stale; these files differ from what the spec produces:`);
    for (const path of drift.added) io.err(`  missing    ${path}`);
    for (const path of drift.changed) io.err(`  changed    ${path}`);
    for (const path of drift.removed) io.err(`  unexpected ${path}`);
    io.err(`Run '${fixCommand(options.argv, io.cwd)}' and commit the result.`);
    return 1;
  }
  const ms = Math.round(performance.now() - started);
  io.out(`errspec: ${result.wrote ? `wrote ${out}/` : `${out}/ already up to date`} (${counts}) in ${ms} ms`);
  return 0;
}

/** Regenerates on every change until interrupted; spec errors are printed and the watch goes on. */
async function runWatch(options: GenerateOptions, io: Io): Promise<number> {
  // One emitter in this thread for every run: the emitters' libraries stay warm between edits.
  const emitter = startEmitter({ inProcess: true });
  await runGenerate(options, io, emitter);
  io.out(`errspec: watching ${display(options.spec, io)} (Ctrl-C to stop)`);
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const watcher = watch(options.spec, (_event, name) => {
    // Only spec files count: not editors' swap files, nor an output folder inside the spec folder.
    if (name !== null && !/\.ya?ml$/.test(name)) return;
    clearTimeout(timer);
    // Editors save in bursts; one run per burst.
    timer = setTimeout(() => {
      running = running.then(() => runGenerate(options, io, emitter).then(() => undefined, (e: Error) => io.err(`errspec: ${e.message}`)));
    }, 100);
  });
  const code = await new Promise<number>((done) => {
    process.once('SIGINT', () => done(0));
    process.once('SIGTERM', () => done(0));
    watcher.once('error', (error) => {
      io.err(`errspec: stopped watching ${display(options.spec, io)}: ${error.message}`);
      done(1);
    });
  });
  watcher.close();
  clearTimeout(timer);
  await running;
  return code;
}

/** Paths inside the working directory print relative to it; others print as given. */
function display(path: string, io: Io): string {
  return displayPath(path, io.cwd);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function runDiff(options: DiffOptions, io: Io): number {
  const result = diff({ old: options.old, ...(options.new === null ? {} : { new: options.new }), spec: options.spec, out: options.out, cwd: io.cwd, config: false });
  for (const { side, diagnostics } of result.problems) {
    io.err(`errspec: ${side} is not a valid spec; diff compares valid specs only:`);
    reportProblems(diagnostics, io);
  }
  if (!result.report) return 1;
  const { report } = result;
  io.out(options.format === 'json' ? toJson(report) : options.format === 'github' ? toGithub(report, result.newRevision, repoPathFrom(io.cwd)) : toText(report));
  return fails(report, options.failOn) ? 1 : 0;
}

async function runDocs(options: DocsOptions, io: Io): Promise<number> {
  const started = performance.now();
  const result = specChecker(io.cwd)(readSources(options.spec, io.cwd), display(options.spec, io));
  reportNotes(result.notes, io);
  if (!result.model) {
    reportProblems(result.diagnostics, io);
    return 1;
  }
  const { buildSite } = await import('./docs/index.js');
  const files = buildSite(result.model);
  const out = display(options.out, io);
  const { wrote, problem } = syncOutput(options.out, files, options.keep, false);
  if (problem !== null) throw new UsageError(problem);
  const ms = Math.round(performance.now() - started);
  const pages = files.filter((f) => f.path.endsWith('.html')).length;
  io.out(`errspec: ${wrote ? `wrote ${out}/` : `${out}/ already up to date`} (${plural(pages, 'page')}; open ${out}/index.html) in ${ms} ms`);
  return 0;
}

/**
 * Rewrites every file of an older spec format in today's. Nothing is written unless every file can
 * be: a file that does not parse, or names a format this errspec does not know, is a problem.
 */
function runMigrate(options: MigrateOptions, io: Io): number {
  const folder = display(options.spec, io);
  const { rewrites, diagnostics, current } = migrateSpec(loadSpec(readSources(options.spec, io.cwd), folder));
  if (diagnostics.length > 0) {
    reportProblems(diagnostics, io);
    return 1;
  }
  if (rewrites.length === 0) {
    io.out(`errspec: ${folder} is in spec format ${SPEC_FORMAT} already (${plural(current, 'file')})`);
    return 0;
  }
  rewriteFiles(rewrites.map((r) => ({ path: resolve(io.cwd, r.path), content: r.text })));
  for (const r of rewrites) {
    const what = r.changed === 0 ? 'it reads the same; format added' : `${plural(r.changed, 'value')} changed`;
    io.out(`errspec: migrated ${r.path} from spec format ${r.from} to ${SPEC_FORMAT} (${what})`);
  }
  return 0;
}
