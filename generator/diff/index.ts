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

export function diffModels(old: { label: string; model: Model; files: readonly LoadedFile[] }, now: { label: string; model: Model; files: readonly LoadedFile[] }): Report {
  const changes = compareModels(side(old), side(now));
  return { old: old.label, new: now.label, changes, advice: adviseVersion(changes, now.model.package.version) };
}

/** Whether the report holds a change at or above `failOn`. `any` counts docs too; `none` never fails. */
export function fails(report: Report, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  if (failOn === 'any') return report.changes.length > 0;
  const limit = SEVERITIES.indexOf(failOn);
  return report.changes.some((c) => SEVERITIES.indexOf(c.severity) <= limit);
}

function side({ label, model, files }: { label: string; model: Model; files: readonly LoadedFile[] }): Side {
  const taxonomy = files.find((f) => f.role === 'taxonomy') ?? null;
  const settings = files.find((f) => f.role === 'package') ?? null;
  const providers = new Map(files.filter((f) => f.role === 'provider').map((f) => [providerId(f), f]));
  const locate = (provider: string | null, path: readonly (string | number)[], at: 'key' | 'value' = 'key'): SourcePosition | null => {
    const file = provider === null ? taxonomy : providers.get(provider);
    return file ? file.locate(path, at) : null;
  };
  return { label, model, locate, locatePackage: (path) => settings?.locate(path, 'key') ?? null };
}

function providerId(file: LoadedFile): string {
  const value = file.value as { provider?: unknown } | null;
  return typeof value?.provider === 'string' ? value.provider : '';
}
