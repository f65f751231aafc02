/**
 * Spec format versions: each file names its format (`format: 2`); a file that names none is
 * format 1, in which a retry rule's maxAttempts counted retries, where it now counts requests as
 * the maxAttempts option does. Older files are read as they are (with a note), `errspec diff`
 * compares across the upgrade, and `errspec migrate` rewrites them, changing nothing else.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateText } from '../generator/migrate.js';
import { readFormat, SPEC_FORMAT } from '../generator/upgrade.js';
import { copyOfShippedSpec, readText, removeDir, runCli, SPEC_DIR } from './helpers.js';

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

/** The shipped spec as format 1 wrote it: no `format:`, and each maxAttempts one less. */
function formatOneSpec(): string {
  const dir = copyOfShippedSpec();
  made.push(dir);
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    const text = readFileSync(join(dir, name), 'utf8');
    writeFileSync(join(dir, name), text.replace(/^format: 2\n/m, '').replace(/maxAttempts: (\d+)/g, (_, n: string) => `maxAttempts: ${Number(n) - 1}`));
  }
  return dir;
}

describe('readFormat', () => {
  const provider = {
    provider: 'acme',
    defaults: { retry: { maxAttempts: 2 }, networkRetry: { maxAttempts: 0 } },
    layers: {
      http: {
        codes: { busy: { retry: { maxAttempts: 4 }, subtypes: [{ id: 's', retry: { maxAttempts: 1 } }, { id: 't' }] }, plain: {} },
        statuses: { 503: { category: 'overloaded', retry: { maxAttempts: 3 } } },
        examples: [{ status: 503, body: { retry: { maxAttempts: 9 } } }],
      },
    },
  };

  it('a file without format is format 1: every retry rule counts one more, as requests; an example body is data and stays', () => {
    const reading = readFormat(provider, 'provider');
    expect(reading.kind).toBe('older');
    if (reading.kind !== 'older') return;
    expect(reading.format).toBe(1);
    expect(reading.edits).toEqual([
      { path: ['defaults', 'retry', 'maxAttempts'], value: 3 },
      { path: ['defaults', 'networkRetry', 'maxAttempts'], value: 1 },
      { path: ['layers', 'http', 'codes', 'busy', 'retry', 'maxAttempts'], value: 5 },
      { path: ['layers', 'http', 'codes', 'busy', 'subtypes', 0, 'retry', 'maxAttempts'], value: 2 },
      { path: ['layers', 'http', 'statuses', '503', 'retry', 'maxAttempts'], value: 4 },
      { path: ['format'], value: SPEC_FORMAT },
    ]);
    const value = reading.value as typeof provider & { format: number };
    expect(value.format).toBe(2);
    expect(value.layers.http.codes.busy.retry.maxAttempts).toBe(5);
    expect(value.layers.http.examples[0]!.body.retry.maxAttempts).toBe(9);
    // The value read is not changed.
    expect(provider.layers.http.codes.busy.retry.maxAttempts).toBe(4);
  });

  it("today's format is read as it is; a newer one or a nonsense one is a problem", () => {
    expect(readFormat({ ...provider, format: 2 }, 'provider')).toEqual({ kind: 'current' });
    expect(readFormat({ format: 3 }, 'taxonomy')).toEqual({ kind: 'unknown', message: 'written in spec format 3, which a newer errspec reads; this one reads formats up to 2: upgrade errspec' });
    expect(readFormat({ format: '2' }, 'taxonomy').kind).toBe('unknown');
    expect(readFormat({ format: 0 }, 'package').kind).toBe('unknown');
    // `format:` with nothing after it names no format; it is not taken for format 1.
    expect(readFormat({ format: null }, 'package').kind).toBe('unknown');
  });

  it("the schemas' format is this errspec's", () => {
    for (const role of ['provider', 'taxonomy', 'package']) {
      const schema = JSON.parse(readText(join(SPEC_DIR, 'schema', `${role}.schema.json`))) as { properties: { format: { const: number } }; required: string[] };
      expect(schema.properties.format.const).toBe(SPEC_FORMAT);
      expect(schema.required).toContain('format');
    }
  });
});

describe('migrateText', () => {
  const edits = [
    { path: ['categories', 'x', 'retry', 'maxAttempts'], value: 4 },
    { path: ['format'], value: 2 },
  ];

  it('changes the values in place and adds format as the first key, keeping comments, CRLF line ends and indentation', () => {
    const text = '# a comment\r\n\r\n  categories:\r\n    x: { retry: { maxAttempts: 3 } } # kept\r\n';
    expect(migrateText(text, edits)).toEqual({ text: '# a comment\r\n\r\n  format: 2\r\n  categories:\r\n    x: { retry: { maxAttempts: 4 } } # kept\r\n' });
  });

  it('declines a file it cannot rewrite in place, saying why', () => {
    expect(migrateText('{ categories: { x: { retry: { maxAttempts: 3 } } } }\n', edits)).toEqual({ problem: 'its top level is a flow mapping ({ … })' });
    expect(migrateText('categories:\n  x: { retry: { maxAttempts: *a } }\n', edits)).toEqual({ problem: 'categories.x.retry.maxAttempts is not a plain value errspec can rewrite in place' });
    expect(migrateText('- a list\n', edits)).toEqual({ problem: 'it is not a YAML mapping' });
  });
});

describe('a spec written in format 1', () => {
  it('validates as it is, with a note per file saying how it is read and what rewrites it', async () => {
    const r = await runCli(['validate', '--spec', formatOneSpec()]);
    expect(r.code, r.stderr).toBe(0);
    const notes = r.stderr.trim().split('\n');
    expect(notes).toHaveLength(readdirSync(SPEC_DIR).filter((n) => n.endsWith('.yaml')).length);
    expect(notes.find((n) => n.includes('taxonomy.yaml:1:1:'))).toContain("read as format 2, in which a retry rule's maxAttempts counts requests, the first included");
    expect(notes.every((n) => n.endsWith("'errspec migrate' rewrites it in format 2."))).toBe(true);
  });

  it("errspec diff finds no change between it and today's spec: the same package, the same behaviour", async () => {
    const r = await runCli(['diff', formatOneSpec(), SPEC_DIR, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { summary: { total: number } }).summary.total).toBe(0);
  });

  it('errspec migrate rewrites it into exactly the shipped spec, and then has nothing left to do', async () => {
    const dir = formatOneSpec();
    const r = await runCli(['migrate', '--spec', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/migrated .*taxonomy\.yaml from spec format 1 to 2 \(8 values changed\)/);
    expect(r.stdout).toMatch(/migrated .*ltx\.yaml from spec format 1 to 2 \(it reads the same; format added\)/);
    for (const name of readdirSync(SPEC_DIR).filter((n) => n.endsWith('.yaml'))) {
      expect(readFileSync(join(dir, name), 'utf8'), name).toBe(readText(join(SPEC_DIR, name)));
    }
    const again = await runCli(['migrate', '--spec', dir]);
    expect(again.stdout).toMatch(/is in spec format 2 already \(\d+ files\)/);
    const validated = await runCli(['validate', '--spec', dir]);
    expect(validated.stderr).toBe('');
  });

  it('a file in a format this errspec does not know: every command says so at its format line, and migrate writes nothing', async () => {
    const dir = formatOneSpec();
    writeFileSync(join(dir, 'ltx.yaml'), `format: 3\n${readFileSync(join(dir, 'ltx.yaml'), 'utf8')}`);
    const before = readFileSync(join(dir, 'taxonomy.yaml'), 'utf8');
    for (const command of ['migrate', 'validate']) {
      const r = await runCli([command, '--spec', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('ltx.yaml:1:9: written in spec format 3, which a newer errspec reads; this one reads formats up to 2: upgrade errspec');
    }
    expect(readFileSync(join(dir, 'taxonomy.yaml'), 'utf8')).toBe(before);
  });
});
