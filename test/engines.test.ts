/**
 * The generated package runs on what its `engines` says: every platform API its code calls exists
 * in the oldest Node that `engines` admits, and a runtime without the Web Crypto ids the executor
 * needs gets a usage error before anything is sent, not a failure half-way through a call.
 */
import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATED_DIR, readText, removeDir, tempDir } from './helpers.js';

/**
 * Platform APIs newer than Node 16, with the Node version that made each available without a
 * flag, as they appear in code. A new use of one of them (or of something newer: add it here)
 * must keep within `engines`.
 */
const INTRODUCED: readonly [RegExp, string, number][] = [
  [/\bcrypto\.randomUUID\b/, 'crypto.randomUUID (global Web Crypto)', 19],
  [/\bcrypto\.getRandomValues\b/, 'crypto.getRandomValues (global Web Crypto)', 19],
  [/\bcrypto\.subtle\b/, 'crypto.subtle (global Web Crypto)', 19],
  [/\bfetch\(/, 'global fetch', 18],
  [/\bAbortSignal\.any\b/, 'AbortSignal.any', 20],
  [/\bAbortSignal\.timeout\b/, 'AbortSignal.timeout', 18],
  [/\bURL\.canParse\b/, 'URL.canParse', 19],
  [/\bstructuredClone\(/, 'structuredClone', 17],
  [/\.findLast(Index)?\(/, 'Array.prototype.findLast', 18],
  [/\.to(Sorted|Reversed|Spliced)\(|\.with\(\d/, 'Array.prototype.toSorted and friends', 20],
  [/\bObject\.groupBy\b|\bMap\.groupBy\b/, 'Object.groupBy', 21],
  [/\bPromise\.withResolvers\b/, 'Promise.withResolvers', 22],
  [/\bArray\.fromAsync\b/, 'Array.fromAsync', 22],
  [/\.(union|intersection|difference|symmetricDifference|isSubsetOf|isSupersetOf|isDisjointFrom)\(/, 'Set methods', 22],
  [/\bIterator\.(from|prototype)\b/, 'iterator helpers', 22],
  [/\.isWellFormed\(|\.toWellFormed\(/, 'String.prototype.isWellFormed', 20],
  [/\bnavigator\b/, 'global navigator', 21],
  [/\bprocess\.getBuiltinModule\b/, 'process.getBuiltinModule', 22],
];

const exec = promisify(execFile);
const made: string[] = [];
afterAll(() => made.forEach(removeDir));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));
}

describe('engines', () => {
  const engines = (JSON.parse(readText(join(GENERATED_DIR, 'package.json'))) as { engines: { node: string } }).engines.node;
  const oldest = Number(/^>=(\d+)/.exec(engines)?.[1]);

  it('names an oldest Node', () => {
    expect(engines).toMatch(/^>=\d+(\.\d+)*$/);
    expect(oldest).toBeGreaterThanOrEqual(18);
  });

  it('every platform API the package calls exists in that Node', () => {
    const found = new Map<string, { version: number; where: string }>();
    for (const file of files(GENERATED_DIR)) {
      const text = readText(file);
      for (const [pattern, name, version] of INTRODUCED) if (pattern.test(text)) found.set(name, { version, where: file.slice(GENERATED_DIR.length + 1) });
    }
    // The scan finds what it should: the executor's random ids.
    expect(found.has('crypto.randomUUID (global Web Crypto)')).toBe(true);
    const tooNew = [...found].filter(([, f]) => f.version > oldest).map(([name, f]) => `${name} (Node ${f.version}, in ${f.where})`);
    expect(tooNew, `engines says ${engines}`).toEqual([]);
  });

  it('without a global crypto (as on Node 18): classification works, and a call that needs random ids is a TypeError before anything is sent', async () => {
    const dir = tempDir('errspec-engines-');
    made.push(dir);
    const index = pathToFileURL(join(GENERATED_DIR, 'index.js')).href;
    writeFileSync(
      join(dir, 'script.mjs'),
      `import { classifyResponse, createLimiter, fetchWithRetry, runTask } from ${JSON.stringify(index)};
let sent = 0;
const fetch = async () => { sent++; return new Response('{}'); };
const outcome = async (call) => { try { await call(); return 'ok'; } catch (e) { return e.constructor.name + ': ' + e.message; } };
console.log(JSON.stringify({
  crypto: typeof globalThis.crypto,
  category: classifyResponse('ltx', { status: 429, body: '{"type":"error","error":{"type":"rate_limit_error","message":"m"}}' }).category,
  get: await outcome(() => fetchWithRetry('ltx', 'http://127.0.0.1:9/v1/models', undefined, { fetch })),
  keyed: await outcome(() => fetchWithRetry('wubble', 'http://127.0.0.1:9/v1/x', { method: 'POST', body: '{}' }, { fetch })),
  limited: await outcome(() => runTask('ltx', { submit: new Request('http://127.0.0.1:9/v2/text-to-video', { method: 'POST', body: '{}' }), poll: (id) => 'http://127.0.0.1:9/' + id }, { fetch, limiter: createLimiter() })),
  sent,
}));
`,
    );
    const { stdout } = await exec(process.execPath, ['--no-experimental-global-webcrypto', 'script.mjs'], { cwd: dir });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    const missing = 'TypeError: this runtime has no global crypto.randomUUID, which idempotency keys and limiter permits need: run Node 20 or later';
    expect(result).toEqual({ crypto: 'undefined', category: 'rate_limited', get: 'ok', keyed: missing, limited: missing, sent: 1 });
  });
});
