/**
 * The three shapes of a diff report: text for people, JSON for tools (versioned, documented in
 * the README), and GitHub workflow annotations that pin each change to its line in a pull request.
 */
import type { Advice } from './semver.js';
import { SEVERITIES, type Change, type Severity } from './types.js';

export interface Report {
  readonly old: string;
  readonly new: string;
  readonly changes: readonly Change[];
  readonly advice: Advice;
}

/** Bumped when a field is removed or changes meaning; new fields keep the version. */
export const JSON_REPORT_VERSION = 1;

export function toJson(report: Report): string {
  const counts = countBySeverity(report.changes);
  return JSON.stringify(
    {
      version: JSON_REPORT_VERSION,
      old: report.old,
      new: report.new,
      summary: { ...counts, total: report.changes.length },
      advice: report.advice,
      changes: report.changes.map((c) => ({
        severity: c.severity,
        rule: c.rule,
        provider: c.provider,
        layer: c.layer,
        code: c.code,
        subject: c.subject,
        message: c.message,
        old: c.old,
        new: c.new,
        details: c.details,
        side: c.side,
        file: c.at?.file ?? null,
        line: c.at?.line ?? null,
        col: c.at?.col ?? null,
      })),
    },
    null,
    2,
  );
}

export function toText(report: Report): string {
  const lines = [`errspec diff: ${report.old} → ${report.new}`];
  let group: string | null | undefined;
  for (const change of report.changes) {
    if (change.provider !== group) {
      group = change.provider;
      lines.push('', group ?? 'taxonomy');
    }
    const where = change.at ? `${change.at.file}:${change.at.line}:${change.at.col}: ` : '';
    lines.push(`  ${where}${change.severity}: ${change.message}`);
    for (const detail of change.details) lines.push(`      ${detail}`);
  }
  lines.push('', summaryLine(report));
  return lines.join('\n');
}

/**
 * `newRevision`: NEW was read from git, so its files are named `REV:path`; annotations name the
 * path alone, as the checked-out pull request has it.
 */
/**
 * GitHub places an annotation by a path from the repository's top: a file read from a revision
 * is named that way already; `toRepoPath` turns a working-tree path (relative to where errspec
 * runs) into one, so annotations land right when errspec runs in a subfolder.
 */
export function toGithub(report: Report, newRevision: string | null = null, toRepoPath: (file: string) => string = (file) => file): string {
  const prefix = newRevision === null ? null : `${newRevision}:`;
  const lines = report.changes.map((change) => {
    const level = LEVEL[change.severity];
    const inRevision = change.at && prefix !== null && change.at.file.startsWith(prefix);
    const file = change.at ? (inRevision ? change.at.file.slice(prefix!.length) : toRepoPath(change.at.file)) : undefined;
    // Annotations pin lines of the files under review, which are NEW's; a removal gets none.
    const place = change.at && change.side === 'new' ? `file=${property(file ?? '')},line=${change.at.line},col=${change.at.col},` : '';
    const title = property(`errspec diff: ${change.severity} (${change.rule})`);
    const body = [change.message, ...change.details].join('\n');
    return `::${level} ${place}title=${title}::${data(body)}`;
  });
  return [...lines, summaryLine(report)].join('\n');
}

/** `3 changes: 1 breaking, 1 behaviour, 1 additive, 0 docs. Release 0.2.0 (minor): …` */
export function summaryLine(report: Report): string {
  const { advice, changes } = report;
  if (changes.length === 0) return 'no changes; no release needed.';
  const counts = countBySeverity(changes);
  const tally = SEVERITIES.map((s) => `${counts[s]} ${s}`).join(', ');
  const release = advice.next === null ? `bump the ${advice.bump} version` : `release ${advice.next} (${advice.bump})`;
  return `${changes.length} change${changes.length === 1 ? '' : 's'}: ${tally}. Advice: ${release}; ${advice.reason}.`;
}

const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'notice'>> = {
  breaking: 'error',
  behaviour: 'warning',
  additive: 'notice',
  docs: 'notice',
};

function countBySeverity(changes: readonly Change[]): Record<Severity, number> {
  const counts = { breaking: 0, behaviour: 0, additive: 0, docs: 0 };
  for (const change of changes) counts[change.severity]++;
  return counts;
}

/** Workflow command escaping (actions/toolkit, `command.ts`). */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
