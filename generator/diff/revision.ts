/**
 * Reads one side of a diff: a spec folder on disk, or the spec folder as a git revision holds it
 * (`HEAD~1`, `origin/main`, a tag, or `REV:path/to/spec`). Revisions are read with git's object
 * commands, never by checking anything out, so the work tree is not touched.
 */
import { execFileSync } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readSpecDir, withCanonicalTaxonomy, type SpecSource } from '../load.js';
import { hasGeneratedHeader } from '../emit/header.js';
import { TAXONOMY_RECORD } from '../emit/taxonomy-record.js';
import { displayPath } from '../paths.js';

export interface SpecSide {
  /** As reports name it: `spec` or `HEAD~1:spec`. */
  readonly label: string;
  readonly sources: SpecSource[];
  /** The folder as diagnostics name it. */
  readonly folder: string;
  /** The revision, when the side was read from git; its files are named `REV:path`. */
  readonly revision: string | null;
}

/** A side the command line named that cannot be read: a usage error, not a spec error. */
export class SideError extends Error {}

/**
 * `specDir` is the folder a plain revision is read from (the `--spec` option, absolute). A folder
 * that exists wins over a revision of the same name. `REV:path` names a folder at a revision as
 * git does: from the repository's top, or from here when it starts with `./` or `../`. `outDir`
 * (absolute) is where the package is generated: a revision of a spec that maps onto errspec's
 * canonical taxonomy maps onto the copy its package recorded there, when it holds one.
 */
export function readSide(arg: string, specDir: string, cwd: string, outDir: string | null = null): SpecSide {
  const folder = resolve(cwd, arg);
  if (isFolder(folder)) return { label: displayPath(folder, cwd), sources: readSpecDir(folder, cwd), folder: displayPath(folder, cwd), revision: null };
  // Git runs where the spec folder is, so a spec in another repository is read from that one.
  const here = nearestFolder(specDir);
  const commit = verify(arg, here);
  if (commit !== null) return readRevision(arg, commit, specDir, here, cwd, outDir);
  const colon = arg.lastIndexOf(':');
  if (colon > 0) {
    const revision = arg.slice(0, colon);
    const path = arg.slice(colon + 1);
    const at = verify(revision, cwd);
    if (at !== null) {
      const fromHere = path.startsWith('./') || path.startsWith('../') || path === '.' || path === '..';
      const top = topOf(cwd, revision);
      return readRevision(revision, at, fromHere ? resolve(cwd, path) : resolve(top, path), cwd, cwd, outDir);
    }
  }
  // Outside a repository, say so rather than blame the revision.
  topOf(here, arg);
  throw new SideError(`'${arg}' is neither a folder nor a git revision`);
}

/** The commit a revision names, or null when it names none. */
function verify(revision: string, cwd: string): string | null {
  try {
    return git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], '').toString().trim() || null;
  } catch {
    return null;
  }
}

function topOf(cwd: string, revision: string): string {
  return realpathSync(git(cwd, ['rev-parse', '--show-toplevel'], `'${revision}' is neither a folder nor a git revision (not inside a git repository)`).toString().trim());
}

function readRevision(revision: string, commit: string, folder: string, gitDir: string, cwd: string, outDir: string | null): SpecSide {
  const top = topOf(gitDir, revision);
  const inRepo = treePath(top, folder);
  if (inRepo === null) throw new SideError(`${displayPath(folder, cwd)} is outside the git repository at ${top}`);
  const label = `${revision}:${inRepo === '' ? '.' : inRepo}`;
  const listing = git(top, ['ls-tree', '-z', '--name-only', commit, '--', inRepo === '' ? '.' : `${inRepo}/`], `cannot list ${label}`).toString();
  const names = listing
    .split('\0')
    .filter((entry) => /\.ya?ml$/.test(entry))
    .map((entry) => entry.slice(entry.lastIndexOf('/') + 1))
    .sort();
  if (names.length === 0) throw new SideError(`${label} holds no spec files (is the spec folder somewhere else? use REV:path or --spec)`);
  const sources = names.map((name) => {
    const inTree = inRepo === '' ? name : `${inRepo}/${name}`;
    return {
      // Git's own name for the file at that revision: `git show HEAD~1:spec/ltx.yaml` opens it.
      path: `${revision}:${inTree}`,
      name: `${basename(folder)}/${name}`,
      bytes: git(top, ['cat-file', 'blob', `${commit}:${inTree}`], `cannot read ${inTree} at ${revision}`),
    };
  });
  return { label, sources: withCanonicalTaxonomy(sources, cwd, outDir === null ? null : recordedTaxonomy(top, commit, revision, outDir)), folder: label, revision };
}

/** Where a path is in the tree of the repository at `top` (`''` for the top), with forward slashes; null outside it. */
function treePath(top: string, path: string): string | null {
  const inRepo = relative(top, realFolder(path)).split(sep).join('/');
  return inRepo.startsWith('..') || isAbsolute(inRepo) ? null : inRepo;
}

/**
 * The canonical taxonomy the package in `outDir` recorded at that revision (TAXONOMY_RECORD), or
 * null: a package generated before errspec recorded it, one not committed, or a file there that
 * errspec did not write; the revision then maps onto the canonical taxonomy of the errspec that
 * runs. A spec whose own taxonomy stands alone never uses it (taxonomy.ts).
 */
function recordedTaxonomy(top: string, commit: string, revision: string, outDir: string): SpecSource | null {
  const inRepo = treePath(top, outDir);
  if (inRepo === null) return null;
  const inTree = inRepo === '' ? TAXONOMY_RECORD : `${inRepo}/${TAXONOMY_RECORD}`;
  let bytes: Buffer;
  try {
    bytes = git(top, ['cat-file', 'blob', `${commit}:${inTree}`], '');
  } catch {
    return null;
  }
  return hasGeneratedHeader(bytes) ? { path: `${revision}:${inTree}`, name: inTree, bytes } : null;
}

/** The path with its existing part's links resolved, as git sees the work tree. */
function realFolder(path: string): string {
  const existing = nearestFolder(path);
  return join(realpathSync(existing), relative(existing, path));
}

function nearestFolder(path: string): string {
  let at = path;
  while (!isFolder(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

function git(cwd: string, args: readonly string[], failure: string): Buffer {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SideError(code === 'ENOENT' ? `${failure}: git is not installed` : failure);
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Maps a path relative to `cwd` to one from the top of the git repository `cwd` is in, with
 * forward slashes; paths outside any repository stay as they are.
 */
export function repoPathFrom(cwd: string): (file: string) => string {
  let top: string | null;
  try {
    top = realpathSync(execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
  } catch {
    top = null;
  }
  if (top === null) return (file) => file;
  const base = realpathSync(cwd);
  return (file) => {
    const fromTop = relative(top, resolve(base, file));
    return fromTop.startsWith('..') || isAbsolute(fromTop) ? file : fromTop.split(sep).join('/');
  };
}
