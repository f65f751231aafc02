/**
 * What a bundler keeps of the generated package: an app that only classifies gets no executor
 * (its entries load it lazily, marked pure), and one provider's entry brings no other provider's
 * table. Bundled with esbuild for the browser, minified, as an app would ship it.
 */
import { browserBundle } from './browser-bundle.js';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR } from './helpers.js';
import { providerIds } from '../generated/index.js';

/** A string only the executor's module holds; it survives minification. */
const EXECUTOR_MARK = 'the submit response names no task id';

async function bundle(source: string): Promise<string> {
  return (await browserBundle(source, GENERATED_DIR)).text;
}

describe('a bundle', () => {
  const provider = providerIds[0]!;
  const others = providerIds.filter((id) => id !== provider);

  it("of one provider's classifier keeps no executor and no other provider's table", async () => {
    const text = await bundle(`import { classifyResponse } from './${provider}/index.js';\nconsole.log(classifyResponse({ status: 500 }));`);
    expect(text).not.toContain(EXECUTOR_MARK);
    // Each table names its provider in its classifications.
    for (const other of others) expect(text).not.toContain(`provider:"${other}"`);
    expect(text).toContain(`"${provider}"`);
  });

  it('that runs a task keeps the executor (loaded on first use)', async () => {
    const text = await bundle(`import { runTask } from './${provider}/index.js';\nexport const run = (r) => runTask(r);`);
    // esbuild keeps a dynamic import as a separate module unless it splits; either way the import stays.
    expect(text.includes(EXECUTOR_MARK) || /import\(["'][^"']*executor\.js["']\)/.test(text)).toBe(true);
  });

  // LTX has both layers. Property names survive minification: `codeHeaders` is the HTTP layer's,
  // `pollAfter` the task layer's, `instancePath` ajv's error reports'.
  it("of one provider's classifyResponse keeps its HTTP layer only: no task layer, no ajv validator, no ProviderError, no limiter, no network table", async () => {
    const text = await bundle(`import { classifyResponse } from './ltx/index.js';\nconsole.log(classifyResponse({ status: 500 }));`);
    expect(text).toContain('codeHeaders');
    for (const mark of ['pollAfter', 'instancePath', 'errspec.ProviderError', 'errspec.Limiter', 'ECONNRESET', 'the value cannot be checked']) expect(text).not.toContain(mark);
  });

  // soft-failure.ts's NUMBER regex survives minification: a mark of the soft failures' finder.
  it("keeps the soft failures' finder only for a provider whose table has soft failures", async () => {
    const mark = '\\d{1,20}(?:\\.\\d{1,20})?$';
    expect(await bundle(`import { classifyResponse } from './ltx/index.js';\nconsole.log(classifyResponse({ status: 200 }));`)).not.toContain(mark);
    expect(await bundle(`import { classifyResponse } from './stability/index.js';\nconsole.log(classifyResponse({ status: 200 }));`)).toContain(mark);
  });

  // The usual reader asks a get-only headers object in both spellings: 'Retry-After-Ms' is its mark.
  // The general one steps through a plan's names by their lengths: `lengths` is its table's mark.
  it('keeps only the header reader its table names: the usual one for LTX, the general one for Gemini', async () => {
    const ltx = await bundle(`import { classifyResponse } from './ltx/index.js';\nconsole.log(classifyResponse({ status: 500 }));`);
    const gemini = await bundle(`import { classifyResponse } from './gemini/index.js';\nconsole.log(classifyResponse({ status: 500 }));`);
    expect(ltx).toContain('Retry-After-Ms');
    expect(gemini).not.toContain('Retry-After-Ms');
    expect(gemini).toMatch(/hints:\w+/);
    // Its task classifier too: the unknown provider's table, with the usual reader, is the root's alone.
    expect(await bundle(`import { classifyFetchTask } from './gemini/index.js';\nconsole.log(await classifyFetchTask({ status: 500 }));`)).not.toContain('Retry-After-Ms');
    // The root entry can be asked about any provider, one it does not know among them: it keeps the usual reader.
    expect(await bundle(`import { classifyResponse } from './index.js';\nconsole.log(classifyResponse('gemini', { status: 500 }));`)).toContain('Retry-After-Ms');
  });

  it('keeps the task layer for classifyTask, the network table for classifyException, and the validator wrapper for validate…', async () => {
    expect(await bundle(`import { classifyTask } from './ltx/index.js';\nconsole.log(classifyTask({}));`)).toContain('pollAfter');
    expect(await bundle(`import { classifyException } from './ltx/index.js';\nconsole.log(classifyException(null));`)).toContain('ECONNRESET');
    const validating = await bundle(`import { validateLtxJob } from './ltx/index.js';\nconsole.log(validateLtxJob({}));`);
    for (const mark of ['the value cannot be checked', 'instancePath']) expect(validating).toContain(mark);
  });

  it("of the root entry's classifier keeps no executor", async () => {
    const text = await bundle(`import { classifyResponse } from './index.js';\nconsole.log(classifyResponse('${provider}', { status: 500 }));`);
    expect(text).not.toContain(EXECUTOR_MARK);
  });
});

