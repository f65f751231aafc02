/** `generate --watch` as a user runs it: a real process reacting to real file edits. */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, copyOfShippedSpec, removeDir } from './helpers.js';

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

describe('errspec generate --watch', () => {
  it('regenerates on each edit, reports a broken spec without stopping, and exits 0 on SIGTERM', async () => {
    const spec = copyOfShippedSpec();
    made.push(spec);
    const out = join(spec, 'out');
    const child = spawn(process.execPath, [BIN, 'generate', '--watch', '--spec', spec, '--out', out], { cwd: spec });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const waitFor = async (read: () => string, pattern: RegExp): Promise<void> => {
      const deadline = Date.now() + 30_000;
      const attempt = (): string => {
        try {
          return read();
        } catch {
          return ''; // the output folder is being swapped in
        }
      };
      while (!pattern.test(attempt())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; stdout: ${stdout} stderr: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await waitFor(() => stdout, /watching/);
      const file = join(spec, 'wubble.yaml');
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, original.replace('      INVALID_EVENTS:', '      WEBHOOK_DISABLED:\n        category: permission\n        description: Webhooks are disabled.\n        source: errors\n      INVALID_EVENTS:'));
      await waitFor(() => readFileSync(join(out, 'wubble', 'index.d.ts'), 'utf8'), /WEBHOOK_DISABLED/);

      writeFileSync(file, original.replace('category: invalid_request', 'category: not_a_category'));
      await waitFor(() => stderr, /wubble\.yaml:\d+:\d+: unknown category "not_a_category"/);
      expect(readFileSync(join(out, 'wubble', 'index.d.ts'), 'utf8')).toContain('WEBHOOK_DISABLED');
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  });
});
