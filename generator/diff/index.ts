/**
 * `errspec diff`: both sides go through the same load → validate → model stages, and the models
 * are compared (compare.ts). Pure over what was read; the CLI reads the sides and prints.
 */
import type { SourcePosition } from '../diagnostics.js';
import type { LoadedFile } from '../load.js';
import type { Model } from '../model.js';
import { compareModels } from './compare.js';
import type { Report } from './report.js';
import { adviseVersion } from './semver.js';
import { SEVERITIES, type Severity, type Side } from './types.js';

export type FailOn = Severity | 'any' | 'none';

/** A side of the diff once checked: its model and the files it was built from. */
export interface CheckedSide {
  readonly label: string;
  readonly model: Model;
  readonly files: readonly LoadedFile[];
}

/** `released`: the version the advice starts from, when the spec leaves it to a release tool; null when unknown. */
export function diffModels(old: CheckedSide, now: CheckedSide, released: string | null = now.model.package.version): Report {
  const changes = compareModels(side(old), side(now));
  return { old: old.label, new: now.label, changes, advice: adviseVersion(changes, released) };
}

/** Whether the report holds a change at or above `failOn`. `any` counts docs too; `none` never fails. */
export function fails(report: Report, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  if (failOn === 'any') return report.changes.length > 0;
  const limit = SEVERITIES.indexOf(failOn);
  return report.changes.some((c) => SEVERITIES.indexOf(c.severity) <= limit);
}

function side({ label, model, files }: CheckedSide): Side {
  const taxonomy = files.find((f) => f.role === 'taxonomy') ?? null;
  const settings = files.find((f) => f.role === 'package') ?? null;
  // The model names each provider's file as the files do.
  const providers = new Map(model.providers.map((p) => [p.id, files.find((f) => f.name === p.file)]));
  const locate = (provider: string | null, path: readonly (string | number)[], at: 'key' | 'value' = 'key'): SourcePosition | null => {
    const file = provider === null ? taxonomy : providers.get(provider);
    return file ? file.locate(path, at) : null;
  };
  return { label, model, locate, locatePackage: (path) => settings?.locate(path, 'key') ?? null };
}
