/**
 * What `errspec diff` reports: changes between two models, each ranked by what it means for the
 * generated package's consumers.
 */
import type { SourcePosition } from '../diagnostics.js';
import type { Model } from '../model.js';

/**
 * - `breaking`: can break a consumer's build or a branch it takes.
 * - `behaviour`: the same errors, handled differently at run time (retry timing, sub-type matching,
 *   polling, sending).
 * - `additive`: something new; nothing a consumer relies on changes.
 * - `docs`: descriptions, suggestions, notes, sources and examples only.
 */
export type Severity = 'breaking' | 'behaviour' | 'additive' | 'docs';

/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ['breaking', 'behaviour', 'additive', 'docs'];

export interface Change {
  readonly severity: Severity;
  /** A stable rule id (`code-category-changed`), for filtering and for tools. */
  readonly rule: string;
  /** null for a change to the taxonomy that concerns every provider. */
  readonly provider: string | null;
  readonly layer: 'http' | 'task' | null;
  /** The error code concerned, when there is one. */
  readonly code: string | null;
  /** What changed, in words: `code rate_limit_error: category`. */
  readonly subject: string;
  /** JSON values; null when absent on that side. */
  readonly old: unknown;
  readonly new: unknown;
  /** One line, for people. */
  readonly message: string;
  /** Further lines: the old and new wait schedules of a retry rule or a poll cadence. */
  readonly details: readonly string[];
  /** Which side `at` points into: NEW, or OLD for something removed. */
  readonly side: 'old' | 'new';
  readonly at: SourcePosition | null;
}

/** One side of a diff: the model and where each of its parts was written. */
export interface Side {
  /** As the user named it: a folder or a git revision. */
  readonly label: string;
  readonly model: Model;
  /** Finds a spec path in the file of a provider (by id), or of the taxonomy (`null`). */
  readonly locate: (provider: string | null, path: readonly (string | number)[], at?: 'key' | 'value') => SourcePosition | null;
  /** Finds a path in the package's settings file; null when the side has none. */
  readonly locatePackage: (path: readonly (string | number)[]) => SourcePosition | null;
}
