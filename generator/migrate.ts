/**
 * `errspec migrate`: a spec file of an older format rewritten in today's. Only the values a
 * migration changes are rewritten, in place, and `format:` is added as the first key: comments,
 * order, quoting and layout stay exactly as written, so the file's diff is the migration itself.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, parse, parseDocument, type Node } from 'yaml';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { nodeAt, type LoadResult } from './load.js';
import { readFormat, type Edit } from './upgrade.js';

/** The file's text with `edits` made, or a message saying why it cannot be rewritten in place. */
export function migrateText(text: string, edits: readonly Edit[]): { text: string } | { problem: string } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return { problem: 'it is not a YAML mapping' };
  if (doc.contents.flow) return { problem: 'its top level is a flow mapping ({ … })' };
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const replacements: { start: number; end: number; text: string }[] = [];
  for (const edit of edits) {
    const node = nodeAt(doc, edit.path) as Node | undefined;
    if (isScalar(node) && node.range) {
      replacements.push({ start: node.range[0], end: node.range[1], text: String(edit.value) });
      continue;
    }
    // Only `format` may be missing: it goes first, before the first key (indented as it is) and
    // after the comments above it.
    if (node === undefined && edit.path.length === 1 && edit.path[0] === 'format') {
      const first = doc.contents.items[0]?.key as Node | undefined;
      const at = first?.range ? text.lastIndexOf('\n', first.range[0] - 1) + 1 : text.length;
      const indent = first?.range ? text.slice(at, first.range[0]) : '';
      replacements.push({ start: at, end: at, text: `${indent}format: ${String(edit.value)}${newline}` });
      continue;
    }
    return { problem: `${edit.path.join('.')} is not a plain value errspec can rewrite in place` };
  }
  let result = text;
  for (const r of replacements.sort((a, b) => b.start - a.start)) result = result.slice(0, r.start) + r.text + result.slice(r.end);
  return { text: result };
}

/** What `errspec migrate` writes: each file of an older format in today's, or the problems that stop it. */
export function migrateSpec(loaded: LoadResult): {
  rewrites: { path: string; text: string; from: number; changed: number }[];
  diagnostics: Diagnostic[];
  current: number;
} {
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const rewrites: { path: string; text: string; from: number; changed: number }[] = [];
  let current = 0;
  // errspec's own taxonomy is read beside the spec, not part of it.
  for (const file of loaded.files.filter((f) => !f.canonical)) {
    const reading = readFormat(file.value, file.role);
    if (reading.kind === 'current') {
      current++;
      continue;
    }
    if (reading.kind === 'unknown') {
      const at = file.locate(['format']);
      diagnostics.push(diagnostic(at, 'schema', reading.message, file.sourceLine(at)));
      continue;
    }
    const migrated = migrateText(file.text, reading.edits);
    // The rewritten text must read as the migration says, or nothing is written.
    if ('problem' in migrated || !readsAs(migrated.text, reading.value)) {
      const why = 'problem' in migrated ? migrated.problem : 'the rewritten file would not read as the migration says';
      diagnostics.push(diagnostic({ file: file.path, line: 1, col: 1 }, 'format', `cannot migrate it in place: ${why}; edit it by hand (${reading.changes.join('; ')})`, null));
      continue;
    }
    rewrites.push({ path: file.path, text: migrated.text, from: reading.format, changed: reading.edits.length - 1 });
  }
  return { rewrites, diagnostics, current };
}

/** Whether `text` parses to `value`: false, not an exception, for text that does not parse. */
function readsAs(text: string, value: unknown): boolean {
  try {
    return isDeepStrictEqual(parse(text), value);
  } catch {
    return false;
  }
}
