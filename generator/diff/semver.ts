/**
 * Which version the generated package should take after a set of changes. Semantic versioning,
 * with the 0.x convention of npm and Cargo: before 1.0 a breaking change bumps the minor version
 * and everything else the patch.
 */
import { SEVERITIES, type Change, type Severity } from './types.js';

export type Bump = 'major' | 'minor' | 'patch' | 'none';

export interface Advice {
  /** The most severe change found, or `none`. */
  readonly level: Severity | 'none';
  /** null when a release tool owns the version and the output folder has none yet. */
  readonly current: string | null;
  readonly bump: Bump;
  /** null when nothing needs a release, or when `current` is not a plain x.y.z version. */
  readonly next: string | null;
  readonly reason: string;
}

export function adviseVersion(changes: readonly Change[], current: string | null): Advice {
  const level = SEVERITIES.find((severity) => changes.some((c) => c.severity === severity)) ?? 'none';
  const match = current === null ? null : /^(\d+)\.(\d+)\.(\d+)$/.exec(current);
  const major = match ? Number(match[1]) : null;
  const preOne = major === 0;
  const bump = bumpFor(level, preOne);
  const next = match && bump !== 'none' ? bumped([Number(match[1]), Number(match[2]), Number(match[3])], bump) : null;
  return { level, current, bump, next, reason: reasonFor(level, preOne) };
}

function bumpFor(level: Severity | 'none', preOne: boolean): Bump {
  switch (level) {
    case 'breaking':
      return preOne ? 'minor' : 'major';
    // New behaviour and new parts are features; before 1.0 the minor version is kept for breaks.
    case 'behaviour':
    case 'additive':
      return preOne ? 'patch' : 'minor';
    case 'docs':
      return 'patch';
    case 'none':
      return 'none';
  }
}

function reasonFor(level: Severity | 'none', preOne: boolean): string {
  switch (level) {
    case 'breaking':
      return preOne ? 'a breaking change bumps the minor version of a 0.x package' : 'a breaking change bumps the major version';
    case 'behaviour':
      return preOne ? 'changed behaviour in a 0.x package bumps the patch version; say what changed in the release notes' : 'changed behaviour bumps the minor version; say what changed in the release notes';
    case 'additive':
      return preOne ? 'additions to a 0.x package bump the patch version' : 'additions bump the minor version';
    case 'docs':
      return 'documentation only: a patch release, if any';
    case 'none':
      return 'no change to the generated package';
  }
}

function bumped([major, minor, patch]: readonly [number, number, number], bump: Exclude<Bump, 'none'>): string {
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}
