/**
 * The `errspec` command line: flags in, exit code out. All behaviour lives in the pipeline; this
 * file only reads arguments, calls it, and prints.
 *
 * Exit codes: 0 success, 1 spec errors or drift, 2 usage errors.
 */
import { readFileSync, watch } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic, type Diagnostic } from './diagnostics.js';
import { readFormatSchemas, readRuntimeSources, readSpecDir, type SpecSource } from './load.js';
import { startEmitter, type Emitter } from './emit/emitter.js';
import { PACKAGE_ROOT } from './paths.js';
import { check, generate, summarise } from './pipeline.js';
import { closest } from './suggest.js';
import { readFormatValidators, readGeneratorFingerprint, readRuntimeCache } from './build-cache.js';
import { diffOutput, isClean, unsafeOutput, writeOutput } from './write.js';

const HELP = `errspec: compile HTTP API error documentation (YAML) into a classifier package

Usage:
  errspec generate [--spec DIR] [--out DIR] [--check] [--watch]
  errspec validate [--spec DIR]
  errspec --help | --version

Commands:
  generate   Validate the spec and write the package to the output folder.
  validate   Validate the spec only; write nothing.

Options:
  --spec DIR   The spec folder (default: spec)
  --out DIR    The output folder (default: generated)
  --check      Write nothing; exit 1 and list the stale files when the output
               folder differs from what the spec produces.
  --watch      Regenerate whenever a spec file changes.
  -h, --help   Show this help.
  --version    Show the version.

Exit codes: 0 success, 1 spec errors or drift, 2 usage errors (bad arguments,
a spec folder that cannot be read, an output folder errspec may not replace).
A spec error prints file:line:col: message for every problem found, and the
output folder is left exactly as it was.
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

class UsageError extends Error {}

interface Options {
  readonly command: 'generate' | 'validate';
  readonly spec: string;
  readonly out: string;
  readonly check: boolean;
  readonly watch: boolean;
}

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let options: Options | 'help' | 'version';
  try {
    options = parseOptions(argv, io.cwd);
  } catch (error) {
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
    if (options.command === 'validate') return runValidate(options, io);
    if (options.watch) return await runWatch(options, io);
    return await runGenerate(options, io);
  } catch (error) {
    io.err(`errspec: ${error instanceof Error ? error.message : String(error)}`);
    // A folder that cannot be read or replaced is a usage error: the command line named it.
    return error instanceof UsageError ? 2 : 1;
  }
}

const COMMANDS = ['generate', 'validate'] as const;
const OPTIONS = {
  spec: { type: 'string' },
  out: { type: 'string' },
  check: { type: 'boolean' },
  watch: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** parseArgs suggests `-- "--x"` for an unknown option, which means nothing here; a near option does. */
function usageMessage(error: Error): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message)?.[1];
  if (unknown === undefined) return error.message;
  const near = closest(unknown.replace(/^-+/, '').toLowerCase(), Object.keys(OPTIONS));
  return `unknown option '${unknown}'${near ? ` (did you mean '--${near}'?)` : ''}`;
}

function version(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

function parseOptions(argv: readonly string[], cwd: string): Options | 'help' | 'version' {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
  if (values.help) return 'help';
  if (values.version) return 'version';
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('missing command (generate or validate)');
  if (command !== 'generate' && command !== 'validate') {
    const near = closest(command.toLowerCase(), COMMANDS);
    throw new UsageError(`unknown command '${command}'${near ? ` (did you mean '${near}'?)` : ''}`);
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
  if (command === 'validate' && (values.out !== undefined || values.check || values.watch)) {
    throw new UsageError('validate takes only --spec');
  }
  if (values.check && values.watch) throw new UsageError('--check and --watch cannot be combined');
  const spec = resolve(cwd, values.spec ?? 'spec');
  const out = resolve(cwd, values.out ?? 'generated');
  if (command === 'generate' && (spec === out || spec.startsWith(out + sep))) {
    throw new UsageError('--out must not be the spec folder or contain it: errspec replaces the whole output folder');
  }
  return {
    command,
    spec,
    out,
    check: values.check ?? false,
    watch: values.watch ?? false,
  };
}

const FOLDER_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such folder',
  ENOTDIR: 'not a folder',
  EACCES: 'permission denied',
};

function readSources(options: Options, io: Io): SpecSource[] {
  try {
    return readSpecDir(options.spec, io.cwd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`cannot read the spec folder ${display(options.spec, io)}: ${FOLDER_ERRORS[code] ?? (error as Error).message}`);
  }
}

function reportProblems(diagnostics: readonly Diagnostic[], io: Io): void {
  for (const d of diagnostics) io.err(formatDiagnostic(d));
  const files = new Set(diagnostics.map((d) => d.file)).size;
  io.err(`errspec: ${plural(diagnostics.length, 'problem')} in ${plural(files, 'file')}`);
}

function runValidate(options: Options, io: Io): number {
  const fingerprint = readGeneratorFingerprint();
  const result = check({
    sources: readSources(options, io),
    schemas: readFormatSchemas(),
    formatValidators: readFormatValidators(fingerprint),
    folder: display(options.spec, io),
  });
  if (!result.model) {
    reportProblems(result.diagnostics, io);
    return 1;
  }
  const { providers, codes } = summarise(result.model);
  io.out(`errspec: ${display(options.spec, io)} is valid (${plural(providers, 'provider')}, ${plural(codes, 'code')})`);
  return 0;
}

async function runGenerate(options: Options, io: Io): Promise<number> {
  const started = performance.now();
  const emitter = startEmitter({ inProcess: options.watch });
  try {
    return await generateWith(emitter, options, io, started);
  } finally {
    emitter.stop();
  }
}

async function generateWith(emitter: Emitter, options: Options, io: Io, started: number): Promise<number> {
  const fingerprint = readGeneratorFingerprint();
  const result = await generate(
    {
      sources: readSources(options, io),
      schemas: readFormatSchemas(),
      runtime: readRuntimeSources(),
      runtimeCache: { cache: readRuntimeCache(), fingerprint },
      formatValidators: readFormatValidators(fingerprint),
      folder: display(options.spec, io),
    },
    emitter.run,
  );
  if (!result.model || !result.output) {
    reportProblems(result.diagnostics, io);
    return 1;
  }
  const { files } = result.output;
  const drift = diffOutput(options.out, files);
  const { providers, codes } = summarise(result.model);
  const counts = `${plural(providers, 'provider')}, ${plural(codes, 'code')}, ${plural(files.length, 'file')}`;
  const out = display(options.out, io);

  if (options.check) {
    if (isClean(drift)) {
      io.out(`errspec: ${out}/ is up to date (${counts})`);
      return 0;
    }
    io.err(`errspec: ${out}/ is stale; these files differ from what the spec produces:`);
    for (const path of drift.added) io.err(`  missing    ${path}`);
    for (const path of drift.changed) io.err(`  changed    ${path}`);
    for (const path of drift.removed) io.err(`  unexpected ${path}`);
    io.err(`Run 'npm run generate' and commit the result.`);
    return 1;
  }
  if (!isClean(drift)) {
    const unsafe = unsafeOutput(options.out, files);
    if (unsafe) throw new UsageError(unsafe);
    writeOutput(options.out, files);
  }
  const ms = Math.round(performance.now() - started);
  io.out(`errspec: ${isClean(drift) ? `${out}/ already up to date` : `wrote ${out}/`} (${counts}) in ${ms} ms`);
  return 0;
}

/** Regenerates on every change until interrupted; spec errors are printed and the watch goes on. */
async function runWatch(options: Options, io: Io): Promise<number> {
  await runGenerate(options, io);
  io.out(`errspec: watching ${display(options.spec, io)} (Ctrl-C to stop)`);
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const watcher = watch(options.spec, (_event, name) => {
    // Only spec files count: not editors' swap files, nor an output folder inside the spec folder.
    if (name !== null && !/\.ya?ml$/.test(name)) return;
    clearTimeout(timer);
    // Editors save in bursts; one run per burst.
    timer = setTimeout(() => {
      running = running.then(() => runGenerate(options, io).then(() => undefined, (e: Error) => io.err(`errspec: ${e.message}`)));
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
  const near = relative(io.cwd, path);
  return near === '' ? '.' : near.startsWith('..') ? path : near;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
