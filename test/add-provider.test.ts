/**
 * The README's "Add a provider", followed to the letter on a copy of the shipped spec: the new
 * provider gets every provider-generic check, and adding it (or adding a code to another
 * provider) leaves every other provider's generated files as they were.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OutputFile } from '../generator/emit/index.js';
import { writeOutput } from '../generator/write.js';
import { loadPackage, registerProviderChecks, typeErrors } from './generic.js';
import { checkDir, generateDir, removeDir, SPEC_DIR, tempDir } from './helpers.js';

/** Step 1: `spec/<id>.yaml` with the schema line, shaped like an existing provider. Step 2: sources and examples. */
const ACME = `# yaml-language-server: $schema=./schema/provider.schema.json
provider: acme_video
name: Acme Video
sources:
  docs: { document: https://acme.example/docs/errors, title: Errors }

layers:
  http:
    envelope:
      title: AcmeVideoHttpError
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message]
          properties:
            code: { type: string }
            message: { type: string }
            field: { type: string }
    fields:
      code: error.code
      message: error.message
      param: error.field
    codes:
      bad_prompt:
        status: 400
        category: invalid_request
        description: The prompt is missing or invalid.
        source: docs
        examples:
          - status: 400
            body: { error: { code: bad_prompt, message: prompt is required, field: prompt } }
            expect: { category: invalid_request, retryable: false, known: true, conforms: true, param: prompt }
      site_overloaded:
        status: 529
        category: overloaded
        description: The site is overloaded; retry in a minute.
        retry: { minWaitMs: 60000 }
        source: docs
        examples:
          - name: the status alone decides when the body is a gateway page
            status: 529
            text: <html>overloaded</html>
            expect: { category: overloaded, retryable: true, code: null, conforms: false }
  task:
    envelope:
      title: AcmeVideoJob
      type: object
      required: [id, state]
      properties:
        id: { type: string }
        state: { type: string }
        failure: { type: object, properties: { reason: { type: string }, detail: { type: string } } }
    status:
      field: state
      failed: [failed]
      completed: [done]
      running: [queued, rendering]
    fields:
      code: failure.reason
      message: failure.detail
      taskId: id
    submit: { taskId: id, source: docs }
    poll: { intervalMs: 2000, timeoutMs: 300000, source: docs }
    codes:
      render_timeout:
        category: timeout
        description: Rendering took too long.
        source: docs
        examples:
          - body: { id: j1, state: failed, failure: { reason: render_timeout, detail: took too long } }
            expect: { category: timeout, retryable: true, known: true }
    examples:
      - name: a rendering job is not a failure
        body: { id: j2, state: rendering }
        expect: null
`;

const made: string[] = [];
afterAll(() => made.forEach(removeDir));
const folder = (dir: string): string => (made.push(dir), dir);
/** A copy of the shipped spec in a folder named spec, so that generated headers match the shipped ones. */
const specCopy = (): string => {
  const dir = join(folder(tempDir()), 'spec');
  cpSync(SPEC_DIR, dir, { recursive: true });
  return dir;
};

const shipped = specCopy();
const extended = specCopy();
writeFileSync(join(extended, 'acme_video.yaml'), ACME);

// Step 3: generate.
const before = await generateDir(shipped);
const after = await generateDir(extended);
const checked = checkDir(extended);
const out = join(folder(tempDir()), 'generated');
if (after.output) writeOutput(out, after.output.files);

describe('adding a provider as the README says', () => {
  it('generates with no problem, and the provider appears in the package', () => {
    expect(after.diagnostics).toEqual([]);
    const paths = after.output!.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['acme_video/index.js', 'acme_video/index.d.ts', 'acme_video/table.js', 'acme_video/types.d.ts']));
    const pkg = JSON.parse(contentOf(after.output!.files, 'package.json'));
    expect(pkg.exports['./acme_video']).toEqual({ types: './acme_video/index.d.ts', default: './acme_video/index.js' });
    expect(contentOf(after.output!.files, 'README.md')).toContain('### Acme Video (`acme_video`)');
  });

  it('type-checks as a whole program', async () => {
    expect(await typeErrors(after.output!)).toBe('');
  });

  it("leaves every other provider's generated files as they were", () => {
    expect(changedFilesOfOtherProviders(before.output!.files, after.output!.files, 'acme_video')).toEqual([]);
  });

  it("a code's status feeds the status table: a bare 529 is the declared code's", async () => {
    const { root } = await loadPackage(out, checked.model!);
    const r = root.classifyResponse('acme_video', { status: 529, body: '' });
    expect([r.category, r.code, r.known]).toEqual(['overloaded', null, false]);
    expect(root.retryDelayMs(r, 1, { random: () => 0 })).toBe(60_000);
  });
});

describe('adding a code to one provider', () => {
  it("changes no file of any other provider, and removes no line of its own", async () => {
    const edited = specCopy();
    const ltx = join(edited, 'ltx.yaml');
    const added = `      payment_required_error:
        status: 412
        category: insufficient_credits
        description: A new code.
        source: errors
        examples:
          - status: 412
            body: { type: error, error: { type: payment_required_error, message: Pay } }
            expect: { category: insufficient_credits }
      invalid_request_error:`;
    writeFileSync(ltx, readFileSync(ltx, 'utf8').replace('      invalid_request_error:', added));
    const result = await generateDir(edited);
    expect(result.diagnostics).toEqual([]);
    expect(changedFilesOfOtherProviders(before.output!.files, result.output!.files, 'ltx')).toEqual([]);
    for (const file of before.output!.files.filter((f) => f.path.startsWith('ltx/'))) {
      expect(removedLines(file.content, contentOf(result.output!.files, file.path)), file.path).toEqual([]);
    }
  });
});

if (checked.model && after.output) {
  describe('the provider-generic checks on the extended package', () => {
    registerProviderChecks(checked.model!, () => loadPackage(out, checked.model!));
  });
}

function contentOf(files: readonly OutputFile[], path: string): string {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in the output`);
  return file.content;
}

/** Files under another provider's folder, or the shared runtime, whose content differs. */
function changedFilesOfOtherProviders(old: readonly OutputFile[], now: readonly OutputFile[], edited: string): string[] {
  return old
    .filter((f) => !f.path.startsWith(`${edited}/`) && (f.path.includes('/') || f.path.startsWith('runtime.')))
    .filter((f) => now.find((n) => n.path === f.path)?.content !== f.content)
    .map((f) => f.path);
}

/** Lines of `old` that `now` no longer has (as a multiset): an edit that only adds removes none. */
function removedLines(old: string, now: string): string[] {
  const left = new Map<string, number>();
  for (const line of now.split('\n')) left.set(line, (left.get(line) ?? 0) + 1);
  return old.split('\n').filter((line) => {
    const count = left.get(line) ?? 0;
    left.set(line, count - 1);
    return count <= 0;
  });
}
