/**
 * Stage 5, write: the only stage that changes the disk. The new package is built in a sibling
 * folder, then swapped in with renames, so on any failure the output folder is exactly as it was.
 */
import * as nodeFs from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve, sep, win32 } from 'node:path';
import { GENERATED_README_MARK, hasGeneratedHeader } from './emit/header.js';
import type { OutputFile } from './emit/index.js';
import type { Drift } from './drift.js';

/** The file-system calls the writer uses; tests pass one that fails part-way. */
export type WriteFs = Pick<typeof nodeFs, 'mkdirSync' | 'writeFileSync' | 'renameSync' | 'rmSync' | 'existsSync'>;

export type { Drift } from './drift.js';

/**
 * How the output folder differs from the files that should be there. `keep` lists files errspec
 * does not own (a CHANGELOG, a tsconfig): neither drift nor replaced.
 */
export function diffOutput(outDir: string, files: readonly OutputFile[], keep: readonly string[] = []): Drift {
  const kept = new Set(keep);
  const existing = new Set(listFiles(outDir).filter((path) => !kept.has(path)));
  const added: string[] = [];
  const changed: string[] = [];
  for (const file of files) {
    if (!existing.has(file.path)) added.push(file.path);
    else if (nodeFs.readFileSync(join(outDir, file.path), 'utf8') !== file.content) changed.push(file.path);
    existing.delete(file.path);
  }
  return { added, changed, removed: [...existing].sort() };
}

/**
 * The files of a `keep` list as paths inside the output folder (`./CHANGELOG.md` and
 * `docs\\notes.md` as `CHANGELOG.md` and `docs/notes.md`), or why the list cannot be used: an
 * entry that is absolute or climbs out of the folder, or one that names errspec's own output.
 */
export function keptPaths(entries: readonly string[], files: readonly OutputFile[] = []): { paths: string[]; problem: string | null } {
  const paths = entries.map((entry) => posix.normalize(entry.replace(/\\/g, '/')).replace(/^(\.\/)+/, ''));
  const outside = entries.find((entry, i) => entry === '' || isAbsolute(entry) || win32.isAbsolute(entry) || paths[i]!.split('/').includes('..') || paths[i] === '.');
  if (outside !== undefined) return { paths, problem: `keep: '${outside}' is not a file path inside the output folder` };
  const produced = new Set(files.map((f) => f.path));
  const clash = paths.find((path) => produced.has(path));
  if (clash !== undefined) return { paths, problem: `keep: ${clash} is errspec's own output and cannot be kept` };
  return { paths, problem: null };
}

/**
 * What `generate` and `docs` do to their output folder: compare it with `files` (the files of
 * `keep` aside) and, unless `check`, replace it when they differ. `problem` says why it may not:
 * a `keep` list that cannot be used, or a folder errspec may not replace (see unsafeOutput).
 */
export function syncOutput(outDir: string, files: readonly OutputFile[], keep: readonly string[], check: boolean): { drift: Drift; wrote: boolean; problem: string | null } {
  const kept = keptPaths(keep, files);
  const drift = diffOutput(outDir, files, kept.paths);
  if (kept.problem !== null) return { drift, wrote: false, problem: kept.problem };
  if (check || isClean(drift)) return { drift, wrote: false, problem: null };
  const unsafe = unsafeOutput(outDir, files, kept.paths);
  if (unsafe) return { drift, wrote: false, problem: unsafe };
  writeOutput(outDir, files, nodeFs, kept.paths);
  return { drift, wrote: true, problem: null };
}

/** Whether `out` is the spec folder or holds it, where errspec, which replaces its output folder whole, must not write. */
export function outputHoldsSpec(spec: string, out: string): boolean {
  return spec === out || spec.startsWith(out + sep);
}

export function isClean(drift: Drift): boolean {
  return drift.added.length + drift.changed.length + drift.removed.length === 0;
}

/**
 * Why errspec must not replace `outDir` with `files`, or null. It replaces only a folder it
 * generated (one with its README header, or a site with its index page's) or an empty or missing one, so a mistyped --out cannot
 * delete a project; and inside its own folder, only files it wrote: one that is not among the new
 * files and does not carry errspec's header (a user's notes) would be lost, so it refuses.
 */
export function unsafeOutput(outDir: string, files: readonly OutputFile[], keep: readonly string[] = []): string | null {
  if (!nodeFs.existsSync(outDir)) return null;
  if (!nodeFs.statSync(outDir).isDirectory()) return `the output path ${outDir} is a file, not a folder`;
  const kept = new Set(keep);
  const listed = listFiles(outDir);
  // A folder that holds only kept files (a CHANGELOG written before the first run) is as good as empty.
  if (listed.every((path) => kept.has(path))) return null;
  const readme = join(outDir, 'README.md');
  const site = join(outDir, 'index.html');
  // A package has errspec's README; a reference site, errspec's index page.
  const generated =
    (nodeFs.existsSync(readme) && nodeFs.readFileSync(readme, 'utf8').startsWith(GENERATED_README_MARK)) ||
    (nodeFs.existsSync(site) && isGeneratedFile(site));
  if (!generated) return `refusing to replace ${outDir}: it holds files errspec did not generate; remove them or choose another --out`;
  const written = new Set([...files.map((f) => f.path), ...keep]);
  const foreign = listed.filter((path) => !written.has(path) && !isGeneratedFile(join(outDir, path)));
  if (foreign.length === 0) return null;
  const them = foreign.length === 1 ? 'it' : 'them';
  return `refusing to replace ${outDir}: errspec did not write ${foreign.join(', ')}, and regenerating would delete ${them}; move ${them} out of the folder, or list ${them} under "keep" in errspec.config.json`;
}

/** Whether a file's first line carries the header every generated file has. */
function isGeneratedFile(path: string): boolean {
  const head = Buffer.alloc(256);
  const fd = nodeFs.openSync(path, 'r');
  try {
    return hasGeneratedHeader(head.subarray(0, nodeFs.readSync(fd, head, 0, head.length, 0)));
  } finally {
    nodeFs.closeSync(fd);
  }
}

/** Replaces `outDir` with exactly `files`, and the files of `keep` that it holds, unchanged. */
export function writeOutput(outDir: string, files: readonly OutputFile[], fs: WriteFs = nodeFs, keep: readonly string[] = []): void {
  const target = resolve(outDir);
  const staging = `${target}.errspec-new`;
  const previous = `${target}.errspec-old`;
  // A run stopped between its two renames left the old output aside: put it back first.
  if (!fs.existsSync(target) && fs.existsSync(previous)) fs.renameSync(previous, target);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.rmSync(previous, { recursive: true, force: true });
  try {
    for (const file of files) {
      const path = join(staging, file.path);
      if (!path.startsWith(staging + sep)) throw new Error(`refusing to write outside the output folder: ${file.path}`);
      fs.mkdirSync(dirname(path), { recursive: true });
      fs.writeFileSync(path, file.content);
    }
    for (const path of keep) {
      const from = join(target, path);
      const to = join(staging, path);
      if (!to.startsWith(staging + sep)) throw new Error(`refusing to keep a file outside the output folder: ${path}`);
      // A link is not followed: what it points to is not the output folder's to copy.
      if (!nodeFs.lstatSync(from, { throwIfNoEntry: false })?.isFile()) continue;
      fs.mkdirSync(dirname(to), { recursive: true });
      fs.writeFileSync(to, nodeFs.readFileSync(from));
    }
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const hadPrevious = fs.existsSync(target);
  if (hadPrevious) fs.renameSync(target, previous);
  try {
    fs.renameSync(staging, target);
  } catch (error) {
    if (hadPrevious) fs.renameSync(previous, target);
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  fs.rmSync(previous, { recursive: true, force: true });
}

function listFiles(dir: string): string[] {
  if (!nodeFs.existsSync(dir)) return [];
  if (!nodeFs.statSync(dir).isDirectory()) return [];
  return (nodeFs.readdirSync(dir, { recursive: true, withFileTypes: true }) as nodeFs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/**
 * Rewrites files in place (`errspec migrate`): every new text is written beside its file first,
 * then each is renamed over its file, so that no file is ever left half-written and a failure
 * before the renames changes nothing.
 */
export function rewriteFiles(files: readonly { readonly path: string; readonly content: string }[], fs: WriteFs = nodeFs): void {
  // A symbolic link keeps pointing at its file, which is the one rewritten.
  const staged = files.map((file) => {
    const target = nodeFs.realpathSync(file.path);
    return { target, staging: `${target}.errspec-new` };
  });
  try {
    files.forEach((file, i) => fs.writeFileSync(staged[i]!.staging, file.content));
    for (const { target, staging } of staged) fs.renameSync(staging, target);
  } finally {
    // What a failure left staged is removed; files already renamed hold their new text, whole.
    for (const { staging } of staged) fs.rmSync(staging, { force: true });
  }
}
