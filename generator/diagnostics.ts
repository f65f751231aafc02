/**
 * Diagnostics are values: every stage returns them instead of throwing, so a run reports every
 * problem at once. Only the CLI formats them.
 */

export interface SourcePosition {
  /** The file as the user names it, relative to the working directory. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly col: number;
}

/** `format`: a note about a file in an older spec format, which is read all the same. */
export type DiagnosticKind = 'yaml' | 'schema' | 'semantic' | 'example' | 'io' | 'format';

export interface Diagnostic extends SourcePosition {
  readonly kind: DiagnosticKind;
  readonly message: string;
  /** The offending source line, when the file is text. */
  readonly sourceLine: string | null;
}

export function diagnostic(
  at: SourcePosition,
  kind: DiagnosticKind,
  message: string,
  sourceLine: string | null,
): Diagnostic {
  return { file: at.file, line: at.line, col: at.col, kind, message, sourceLine };
}

/** Stable order: by file, then position, then message, so output never depends on check order. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compare(a.file, b.file) || a.line - b.line || a.col - b.col || compare(a.message, b.message),
  );
}

/** `file:line:col: message`, then the source line and a caret under the column. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.col}: ${d.message}`;
  if (d.sourceLine === null) return head;
  const caret = ' '.repeat(Math.max(0, d.col - 1)) + '^';
  return `${head}\n    ${d.sourceLine}\n    ${caret}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
