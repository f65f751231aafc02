/**
 * `errspec init [DIR]`: scaffolds a spec folder a new project can generate at once, and the config
 * beside the project's package.json. It never overwrites: an existing spec folder with files in
 * it, or an existing config, stops it before anything is written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { CONFIG_FILE } from './config.js';
import { FORMAT_SCHEMA_DIR, displayPath } from './paths.js';
import { starterConfig, starterPackage, starterProvider, STARTER_SCRIPTS } from './init-templates.js';
import { UsageError } from './usage-error.js';

export interface InitOptions {
  readonly command: 'init';
  /** The spec folder to create, absolute. */
  readonly spec: string;
  /** Add the scripts to package.json instead of printing them. */
  readonly scripts: boolean;
}

interface Io {
  readonly out: (text: string) => void;
  readonly cwd: string;
}

/** The default output folder, beside the spec folder. */
const DEFAULT_OUT = 'generated';

export function runInit(options: InitOptions, io: Io): number {
  const { cwd } = io;
  const configPath = join(cwd, CONFIG_FILE);
  const manifestPath = join(cwd, 'package.json');
  if (existsSync(options.spec) && readdirSync(options.spec).length > 0) {
    throw new UsageError(`${displayPath(options.spec, cwd)} already exists and is not empty; init writes a new spec folder only (choose another: errspec init DIR)`);
  }
  if (existsSync(configPath)) throw new UsageError(`${CONFIG_FILE} already exists; init leaves it alone (remove it to start over)`);
  if (options.scripts && !existsSync(manifestPath)) throw new UsageError(`--scripts adds to package.json, and there is none in ${cwd} (run npm init first)`);
  // Read before anything is written, so that a package.json that does not parse stops init whole.
  const manifest = existsSync(manifestPath) ? readManifest(manifestPath) : null;

  const specPath = portable(relative(cwd, options.spec)) || '.';
  const out = join(dirname(options.spec), DEFAULT_OUT);
  const schemas = schemaFolder(cwd);
  const schemaDir = portable(relative(options.spec, schemas));
  const files: [string, string][] = [
    [join(options.spec, 'example.yaml'), starterProvider(schemaDir)],
    [join(options.spec, 'package.yaml'), starterPackage(schemaDir, packageName(manifest?.value))],
    [configPath, starterConfig(portable(relative(cwd, join(schemas, 'config.schema.json'))), specPath, portable(relative(cwd, out)))],
  ];
  mkdirSync(options.spec, { recursive: true });
  for (const [path, text] of files) writeFileSync(path, text, { flag: 'wx' });
  for (const [path] of files) io.out(`errspec: wrote ${displayPath(path, cwd)}`);

  if (options.scripts && manifest) {
    addScripts(manifestPath, manifest);
    io.out(`errspec: added scripts to package.json: ${Object.keys(STARTER_SCRIPTS).join(', ')}`);
  } else {
    io.out(`\nAdd these scripts to package.json (or run errspec init --scripts):\n${JSON.stringify({ scripts: STARTER_SCRIPTS }, null, 2)}`);
  }
  io.out(`\nNext: edit ${displayPath(files[0]![0], cwd)} for your API, then run: npx errspec generate`);
  return 0;
}

interface Manifest {
  readonly text: string;
  readonly value: { name?: unknown; scripts?: Record<string, string> };
}

function readManifest(path: string): Manifest {
  const text = readFileSync(path, 'utf8');
  try {
    return { text, value: JSON.parse(text) as Manifest['value'] };
  } catch (error) {
    throw new UsageError(`cannot read package.json: ${(error as Error).message}`);
  }
}

/**
 * Where editors find the format's schemas: the errspec installed in the project (through
 * node_modules, as every later install puts it), or, in errspec's own repository, its own.
 */
function schemaFolder(cwd: string): string {
  const inside = relative(cwd, FORMAT_SCHEMA_DIR);
  return !inside.startsWith('..') && !isAbsolute(inside) && !inside.split(sep).includes('node_modules') ? FORMAT_SCHEMA_DIR : join(cwd, 'node_modules', 'errspec', 'spec', 'schema');
}

/** The project's name with `-errors`, scope kept (`@acme/app` → `@acme/app-errors`); `api-errors` without one. */
function packageName(manifest: Manifest['value'] | undefined): string {
  const name = manifest?.name;
  return typeof name === 'string' && /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/.test(name) ? `${name}-errors` : 'api-errors';
}

/** Adds the scripts that are not there yet; a script of the same name is left as it is. */
function addScripts(manifestPath: string, manifest: Manifest): void {
  const scripts = { ...manifest.value.scripts };
  for (const [name, command] of Object.entries(STARTER_SCRIPTS)) scripts[name] ??= command;
  const indent = /^[ \t]+/m.exec(manifest.text)?.[0] ?? '  ';
  writeFileSync(manifestPath, JSON.stringify({ ...manifest.value, scripts }, null, indent) + '\n');
}

function portable(path: string): string {
  return path.split(sep).join('/');
}
