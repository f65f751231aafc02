/**
 * errspec diff through git revisions: every edit of the table committed to a temporary
 * repository and compared by revision, with the same result as the folders gave; NEW defaulting
 * to the work tree; `REV:path`; and a work tree left exactly as it was.
 */
import { cpSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../generator/cli.js';
import { applyEdit, changeKey, EDITS } from './diff-edits.js';
import { copyOfShippedSpec, gitIn, initRepository, removeDir, runCli, SPEC_DIR, tempDir } from './helpers.js';

let repo: string;
const git = (...args: string[]): string => gitIn(repo, ...args);

/** A new repository whose first commit holds the shipped spec in `folder` (`.` for the top). */
function repositoryWithSpec(folder: string): string {
  const dir = tempDir('errspec-git-');
  initRepository(dir);
  cpSync(SPEC_DIR, join(dir, folder), { recursive: true });
  gitIn(dir, 'add', '-A');
  gitIn(dir, 'commit', '-q', '-m', 'the shipped spec');
  return dir;
}

beforeAll(() => {
  repo = repositoryWithSpec('spec');
  git('tag', 'base');
  // Each edit on its own branch, tagged by its index.
  EDITS.forEach((edit, i) => {
    git('checkout', '-q', '-b', `edit-${i}`, 'base');
    applyEdit(join(repo, 'spec'), edit);
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', edit.name);
  });
  git('checkout', '-q', 'main');
});
afterAll(() => removeDir(repo));

async function diffJson(args: string[], cwd = repo): Promise<{ code: number; json: { old: string; new: string; changes: { severity: string; rule: string; provider: string | null; file: string | null }[] } | null; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['diff', ...args, '--json'], { out: (t) => out.push(t), err: (t) => err.push(t), cwd });
  return { code, json: out.length > 0 ? JSON.parse(out.join('\n')) : null, err: err.join('\n') };
}

describe('errspec diff OLD NEW as git revisions', () => {
  it.each(EDITS.map((edit, i) => [edit.name, edit, i] as const))('%s', async (_name, edit, i) => {
    const { code, json } = await diffJson(['base', `edit-${i}`]);
    const found = [...new Set(json!.changes.map(changeKey))].sort();
    expect(found).toEqual([...edit.expect].sort());
    expect(code).toBe(edit.level === 'breaking' ? 1 : 0);
    // Files are named as git names them at that revision.
    for (const change of json!.changes) if (change.file !== null) expect(change.file).toMatch(/^(base|edit-\d+):spec\/[a-z]+\.yaml$/);
  });
});

describe('errspec diff as a user runs it in a repository', () => {
  it('compares HEAD~1 with the work tree by default, and leaves the work tree untouched', async () => {
    const i = EDITS.findIndex((e) => e.name === 'a code removed');
    git('checkout', '-q', `edit-${i}`);
    try {
      const file = join(repo, 'spec', 'ltx.yaml');
      const before = { text: readFileSync(file, 'utf8'), mtime: statSync(file).mtimeMs };
      const r = await runCli(['diff', 'HEAD~1'], repo);
      expect(r.code).toBe(1);
      expect(r.stdout.split('\n')[0]).toBe('errspec diff: HEAD~1:spec → spec');
      expect(r.stdout).toMatch(/^ {2}HEAD~1:spec\/ltx\.yaml:\d+:\d+: breaking: code content_filtered_error removed/m);
      expect(r.stdout).toContain('Advice: release 0.2.0 (minor)');
      expect(readFileSync(file, 'utf8')).toBe(before.text);
      expect(statSync(file).mtimeMs).toBe(before.mtime);
      expect(git('status', '--porcelain')).toBe('');

      // An uncommitted edit is part of the work tree that NEW defaults to.
      writeFileSync(file, before.text.replace('description: Unexpected server error.', 'description: A server error.'));
      const docsOnly = await runCli(['diff', 'HEAD', '--fail-on', 'any'], repo);
      expect(docsOnly.code).toBe(1);
      expect(docsOnly.stdout).toContain('docs: code api_error: description changed');
      expect((await runCli(['diff', 'HEAD'], repo)).code).toBe(0);
      git('checkout', '--', 'spec/ltx.yaml');
    } finally {
      git('checkout', '-q', 'main');
    }
  });

  it('--format github annotates the files of NEW by their paths in the checkout', async () => {
    const i = EDITS.findIndex((e) => e.name === 'a retry rule waits less');
    const r = await runCli(['diff', 'base', `edit-${i}`, '--format', 'github', '--fail-on', 'behaviour'], repo);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::warning file=spec\/evolink\.yaml,line=\d+,col=\d+,title=errspec diff%3A behaviour \(retry-changed\)::/m);
  });

  it('--format github names files from the top of the repository when run in a subfolder', async () => {
    const i = EDITS.findIndex((e) => e.name === 'a retry rule waits less');
    git('checkout', '-q', `edit-${i}`);
    try {
      // The work tree as NEW, run from inside the spec folder: GitHub still needs spec/evolink.yaml.
      const r = await runCli(['diff', 'base', '--spec', '.', '--format', 'github', '--fail-on', 'behaviour'], join(repo, 'spec'));
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toMatch(/^::warning file=spec\/evolink\.yaml,line=\d+,col=\d+,/m);
    } finally {
      git('checkout', '-q', 'main');
    }
  });

  it('reads REV:path for a spec folder that is not --spec, and a folder against a revision', async () => {
    const { code, json } = await diffJson(['base:spec', join(repo, 'spec')]);
    expect(code).toBe(0);
    expect(json!.changes).toEqual([]);
    const missing = await diffJson(['base:elsewhere']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('base:elsewhere holds no spec files');
  });

  it('REV:path is read from the top of the repository, as git reads it, or from here with ./', async () => {
    const { code, json, err } = await diffJson(['base:spec', 'base:./'], join(repo, 'spec'));
    expect(code, err).toBe(0);
    expect(json).toMatchObject({ old: 'base:spec', new: 'base:spec', changes: [] });
  });

  it('reads a spec folder at the top of a repository', async () => {
    const flat = repositoryWithSpec('.');
    try {
      const i = EDITS.findIndex((e) => e.name === 'a code removed');
      applyEdit(flat, EDITS[i]!);
      const r = await runCli(['diff', 'HEAD', '--spec', '.'], flat);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      expect(r.stdout.split('\n')[0]).toBe('errspec diff: HEAD:. → .');
      expect(r.stdout).toMatch(/^ {2}HEAD:ltx\.yaml:\d+:\d+: breaking: code content_filtered_error removed/m);
    } finally {
      removeDir(flat);
    }
  });

  it('a name that is neither a folder nor a revision is a usage error', async () => {
    const r = await runCli(['diff', 'no-such-revision'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'no-such-revision' is neither a folder nor a git revision");
  });

  it('a revision is read from the repository that holds the spec folder, wherever the command runs', async () => {
    const elsewhere = tempDir();
    try {
      const r = await runCli(['diff', 'base', '--spec', join(repo, 'spec')], elsewhere);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('no changes; no release needed.');
    } finally {
      removeDir(elsewhere);
    }
  });

  it('a spec folder outside any repository: a revision is a usage error that says so', async () => {
    const spec = copyOfShippedSpec();
    try {
      const r = await runCli(['diff', 'HEAD', '--spec', spec], spec);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('not inside a git repository');
    } finally {
      removeDir(spec);
    }
  });
});
