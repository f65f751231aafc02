/**
 * The canonical taxonomy a package was generated from, copied into its folder when the spec maps
 * onto it (having no taxonomy of its own, or one that extends errspec's). The canonical taxonomy
 * lives inside errspec, not in the spec folder, so git holds it nowhere else: with this copy
 * committed beside the package, `errspec diff REV` compares the taxonomy an upgrade of errspec
 * brings with the one the package was made from, and a pull request that upgrades errspec shows
 * that change line by line.
 */
import { ERRSPEC_VERSION } from '../version.js';
import { GENERATED_MARK } from './header.js';
import type { OutputFile } from './output.js';

/**
 * The record's name in the output folder. It is a spec's taxonomy file name (load.ts TAXONOMY_FILE),
 * so that `errspec diff` loads it as a taxonomy; a literal here keeps the loader out of the emit stage.
 */
export const TAXONOMY_RECORD = 'taxonomy.yaml';

export function taxonomyRecord(canonicalText: string): OutputFile {
  return {
    path: TAXONOMY_RECORD,
    content: [
      `# ${GENERATED_MARK} ${ERRSPEC_VERSION}: the canonical taxonomy this package was generated from. Do not edit;`,
      '# `errspec diff REV` reads it at REV to show what an upgrade of errspec changes.',
      recordBody(canonicalText),
    ].join('\n'),
  };
}

/**
 * The canonical taxonomy as the record holds it: without the editor's schema line, which points
 * into errspec's own folders, with line feeds, and ending with one.
 */
export function recordBody(canonicalText: string): string {
  const body = canonicalText.replace(/\r\n?/g, '\n').replace(/^# yaml-language-server:[^\n]*\n/, '');
  return body.endsWith('\n') ? body : `${body}\n`;
}
