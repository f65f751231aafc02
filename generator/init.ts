/**
 * `errspec init [DIR]`: scaffolds a spec folder a new project can generate at once, and the config
 * beside the project's package.json. It never overwrites: an existing spec folder with files in
 * it, or an existing config, stops it before anything is written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
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

  const specPath = portable(relative(cwd, options.spec)) || '.';
  const out = join(dirname(options.spec), DEFAULT_OUT);
  const schemaDir = portable(relative(options.spec, FORMAT_SCHEMA_DIR));
  const files: [string, string][] = [
    [join(options.spec, 'example.yaml'), starterProvider(schemaDir)],
    [join(options.spec, 'package.yaml'), starterPackage(schemaDir, packageName(manifestPath))],
    [configPath, starterConfig(portable(relative(cwd, join(FORMAT_SCHEMA_DIR, 'config.schema.json'))), specPath, portable(relative(cwd, out)))],
  ];
  mkdirSync(options.spec, { recursive: true });
  for (const [path, text] of files) writeFileSync(path, text, { flag: 'wx' });
  for (const [path] of files) io.out(`errspec: wrote ${displayPath(path, cwd)}`);

  if (options.scripts) {
    addScripts(manifestPath);
    io.out(`errspec: added scripts to package.json: ${Object.keys(STARTER_SCRIPTS).join(', ')}`);
  } else {
    io.out(`\nAdd these scripts to package.json (or run errspec init --scripts):\n${JSON.stringify({ scripts: STARTER_SCRIPTS }, null, 2)}`);
  }
  io.out(`\nNext: edit ${displayPath(files[0]![0], cwd)} for your API, then run: npx errspec generate`);
  return 0;
}

/** The project's name with `-errors`, scope kept (`@acme/app` → `@acme/app-errors`); `api-errors` without one. */
function packageName(manifestPath: string): string {
  try {
    const { name } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: unknown };
    if (typeof name === 'string' && /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/.test(name)) return `${name}-errors`;
  } catch {
    // No package.json, or one that does not parse: the default name serves.
  }
  return 'api-errors';
}

/** Adds the scripts that are not there yet; a script of the same name is left as it is. */
function addScripts(manifestPath: string): void {
  const text = readFileSync(manifestPath, 'utf8');
  const manifest = JSON.parse(text) as { scripts?: Record<string, string> };
  const scripts = { ...manifest.scripts };
  for (const [name, command] of Object.entries(STARTER_SCRIPTS)) scripts[name] ??= command;
  const indent = /^[ \t]+/m.exec(text)?.[0] ?? '  ';
  writeFileSync(manifestPath, JSON.stringify({ ...manifest, scripts }, null, indent) + '\n');
}

function portable(path: string): string {
  return path.split(sep).join('/');
}
