/** Shared test plumbing: paths, temporary spec folders, and running the pipeline or the CLI. */
import { execFile, execFileSync } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readFormatSchemas, readRuntimeSources, readSpecDir } from '../generator/load.js';
import { check, generate } from '../generator/pipeline.js';
import { readGeneratorFingerprint } from '../generator/build-cache.js';
import { openRegexCache } from '../generator/regex-cache.js';
import type { ProviderError } from '../generated/index.js';
import type { FieldPath } from '../generator/runtime/types.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SPEC_DIR = join(ROOT, 'spec');
export const GENERATED_DIR = join(ROOT, 'generated');
export const BIN = join(ROOT, 'bin', 'errspec.js');

export function tempDir(prefix = 'errspec-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs git in `cwd`; its output, trimmed. */
export function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

/** Makes `dir` a new git repository on branch main, with a committer of its own. */
export function initRepository(dir: string): void {
  gitIn(dir, 'init', '-q', '-b', 'main');
  gitIn(dir, 'config', 'user.email', 'test@example.com');
  gitIn(dir, 'config', 'user.name', 'errspec test');
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A spec folder with the shipped taxonomy plus the given files (name → text or bytes). */
export function specFolder(files: Record<string, string | Uint8Array>, withTaxonomy = true): string {
  const dir = tempDir('errspec-spec-');
  if (withTaxonomy) cpSync(join(SPEC_DIR, 'taxonomy.yaml'), join(dir, 'taxonomy.yaml'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** The shipped spec copied to a temporary folder, for tests that edit it. */
export function copyOfShippedSpec(): string {
  const dir = tempDir('errspec-spec-');
  cpSync(SPEC_DIR, dir, { recursive: true });
  return dir;
}

let cachedVerdictsLoaded = false;

/**
 * Brings in the regex verdicts the repository's cache holds (`npm test`'s generate --check fills
 * it), once per test worker. recheck's analyses of the shipped spec take seconds each when every
 * worker is busy, and one past its time limit is a diagnostic; a cached verdict is the analysis's
 * own result, so a check with it finds exactly what one without it would.
 */
function loadCachedVerdicts(): void {
  if (cachedVerdictsLoaded) return;
  cachedVerdictsLoaded = true;
  openRegexCache(ROOT, readGeneratorFingerprint());
}

export function checkDir(dir: string, cwd = dir): ReturnType<typeof check> {
  loadCachedVerdicts();
  return check({ sources: readSpecDir(dir, cwd), schemas: readFormatSchemas() });
}

export function generateDir(dir: string, cwd = dir): ReturnType<typeof generate> {
  loadCachedVerdicts();
  return generate({ sources: readSpecDir(dir, cwd), schemas: readFormatSchemas(), runtime: readRuntimeSources() });
}

/** `file:line:col: message` lines, without the source excerpt. */
export function diagnosticLines(result: { diagnostics: readonly { file: string; line: number; col: number; message: string }[] }): string[] {
  return result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`);
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const exec = promisify(execFile);

export async function runCli(args: readonly string[], cwd = ROOT): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** A minimal valid provider file; tests replace parts of it. */
export const MINIMAL_PROVIDER = `# yaml-language-server: $schema=./schema/provider.schema.json
provider: acme
name: Acme
sources:
  docs: { document: docs/errors.md }
layers:
  http:
    envelope:
      title: AcmeError
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code]
          properties:
            code: { type: string }
            message: { type: string }
    fields:
      code: error.code
      message: error.message
    codes:
      bad_input:
        status: 400
        category: invalid_request
        description: The input is invalid.
        source: docs
`;

export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** Destroys every open connection (a stalled response included) and stops listening. */
  readonly close: () => Promise<void>;
}

/** A real node:http server on 127.0.0.1 and a free port, for tests that need HTTP; `keepAliveMs` for idle connections. */
export async function startServer(handler: RequestListener, { keepAliveMs }: { keepAliveMs?: number } = {}): Promise<LocalServer> {
  const server = createServer(handler);
  if (keepAliveMs !== undefined) server.keepAliveTimeout = keepAliveMs;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Timers alive in this process; a settled call must leave none of its own. */
export function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/** Abort listeners on a signal; a settled call must leave none. */
export function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

/** What a promise that must reject rejects with: by default an executor call's ProviderError. */
export async function rejection<T = ProviderError>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return error as T;
  }
  throw new Error('expected the call to reject');
}

/**
 * Puts `value` at `path` in `body`, making the objects and arrays on the way: an index step makes
 * an array with that element, a match step (`[@type=…]`) an array holding an object with that key.
 */
export function placeAt(body: Record<string, unknown>, path: FieldPath, value: unknown): void {
  let node: Record<string, unknown> | unknown[] = body;
  path.forEach((step, i) => {
    const last = i === path.length - 1;
    const next = (): Record<string, unknown> | unknown[] => (typeof path[i + 1] === 'string' ? {} : []);
    if (typeof step === 'string') {
      const record = node as Record<string, unknown>;
      if (last) record[step] = value;
      else node = (record[step] ??= next()) as Record<string, unknown> | unknown[];
    } else if (typeof step === 'number') {
      const array = node as unknown[];
      if (last) array[step] = value;
      else node = (array[step] ??= next()) as Record<string, unknown> | unknown[];
    } else {
      const array = node as Record<string, unknown>[];
      let match = array.find((item) => item[step.key] === step.equals);
      if (!match) array.push((match = { [step.key]: step.equals }));
      if (last) throw new Error('a path cannot end in a match step');
      node = match;
    }
  });
}
