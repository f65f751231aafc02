import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../generator/cli.js';
import { checkDir, diagnosticLines, removeDir, ROOT, tempDir } from './helpers.js';

const CORPUS = join(ROOT, 'test', 'fixtures', 'invalid');
const cases = readdirSync(CORPUS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

function specFor(name: string): string {
  const dir = tempDir('errspec-corpus-');
  made.push(dir);
  const source = join(CORPUS, name);
  if (!existsSync(join(source, '.no-taxonomy'))) cpSync(join(ROOT, 'spec', 'taxonomy.yaml'), join(dir, 'taxonomy.yaml'));
  for (const file of readdirSync(source)) {
    if (/\.ya?ml$/.test(file)) cpSync(join(source, file), join(dir, file));
  }
  return dir;
}

function capture(cwd: string): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('the malformed spec corpus', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(cases)('%s', (name) => {
    const expected = readFileSync(join(CORPUS, name, 'expect.txt'), 'utf8').trim().split('\n');

    it('reports exactly the expected diagnostics', () => {
      expect(diagnosticLines(checkDir(specFor(name)))).toEqual(expected);
    });

    it('fails validate with every problem and its source line', async () => {
      const dir = specFor(name);
      const io = capture(dir);
      expect(await main(['validate', '--spec', dir], io)).toBe(1);
      const printed = io.stderr.join('\n');
      for (const line of expected) expect(printed).toContain(line);
      expect(io.stderr.at(-1)).toMatch(new RegExp(`^errspec: ${expected.length} problems? in \\d+ files?$`));
    });

    it('fails generate and leaves the output folder byte-identical', async () => {
      const dir = specFor(name);
      const out = join(dir, 'out');
      cpSync(join(ROOT, 'generated'), out, { recursive: true });
      writeFileSync(join(out, 'extra.txt'), 'kept\n');
      const before = snapshot(out);
      expect(await main(['generate', '--spec', dir, '--out', out], capture(dir))).toBe(1);
      expect(snapshot(out)).toEqual(before);
    });
  });
});

function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[join(entry.parentPath, entry.name)] = readFileSync(join(entry.parentPath, entry.name), 'base64');
  }
  return files;
}
