/**
 * errspec diff: a table of spec edits, each with the changes it must produce and nothing else,
 * compared model to model. The same edits through git revisions are in diff-git.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffModels, fails } from '../generator/diff/index.js';
import { summaryLine, toGithub, toJson, toText, type Report } from '../generator/diff/report.js';
import { compareSchemas } from '../generator/diff/envelope.js';
import { adviseVersion } from '../generator/diff/semver.js';
import { checkDir, copyOfShippedSpec, diagnosticLines, removeDir, runCli, SPEC_DIR } from './helpers.js';
import { EDITS, applyEdit, changeKey, type Edit } from './diff-edits.js';

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

const base = checkDir(SPEC_DIR, SPEC_DIR);

function diffAfter(edit: Edit): Report {
  const dir = copyOfShippedSpec();
  made.push(dir);
  applyEdit(dir, edit);
  const now = checkDir(dir, dir);
  expect(diagnosticLines(now)).toEqual([]);
  return diffModels({ label: 'spec', model: base.model!, files: base.files }, { label: 'edited', model: now.model!, files: now.files });
}

const summary = (report: Report): string[] => [...new Set(report.changes.map(changeKey))].sort();

describe('errspec diff ranks each spec edit', () => {
  it.each(EDITS.map((edit) => [edit.name, edit] as const))('%s', (_name, edit) => {
    const report = diffAfter(edit);
    expect(summary(report)).toEqual([...edit.expect].sort());
    expect(report.advice.level).toBe(edit.level);
    for (const line of edit.lines ?? []) expect(toText(report)).toContain(line);
    for (const [entry, count] of Object.entries(edit.counts ?? {})) {
      expect(report.changes.filter((c) => changeKey(c) === entry).length, entry).toBe(count);
    }
  });
});

describe('positions', () => {
  it('point at the changed line in NEW, and into OLD for a removal', () => {
    const report = diffAfter(EDITS.find((e) => e.name === 'a code removed')!);
    const removed = report.changes.find((c) => c.rule === 'code-removed')!;
    expect(removed.side).toBe('old');
    expect(removed.at?.file).toBe('ltx.yaml');
    const line = readFileSync(join(SPEC_DIR, 'ltx.yaml'), 'utf8').split('\n')[removed.at!.line - 1];
    expect(line?.trim()).toBe('content_filtered_error:');

    const changed = diffAfter(EDITS.find((e) => e.name === "a code's category")!).changes.find((c) => c.rule === 'category-changed')!;
    expect(changed.side).toBe('new');
    expect(changed.at).toMatchObject({ file: 'ltx.yaml' });
  });
});

describe('reports', () => {
  const report = diffAfter(EDITS.find((e) => e.name === 'a retry rule waits less')!);

  it('text: grouped by provider, file:line:col, the old and new wait schedules, one summary line', () => {
    const text = toText(report);
    expect(text.split('\n')[0]).toBe('errspec diff: spec → edited');
    expect(text).toMatch(/\nevolink\n {2}evolink\.yaml:\d+:\d+: behaviour: code service_unavailable_error: retry waits changed/);
    expect(text).toContain('      attempt 1: ≥30 s, ≤37.5 s → ≥5 s, ≤6.3 s');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      '1 change: 0 breaking, 1 behaviour, 0 additive, 0 docs. Advice: release 0.1.1 (patch); changed behaviour in a 0.x package bumps the patch version; say what changed in the release notes.',
    );
  });

  it('json: a versioned, stable shape', () => {
    const json = JSON.parse(toJson(report)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['version', 'old', 'new', 'summary', 'advice', 'changes']);
    expect(json.version).toBe(1);
    expect(json.summary).toEqual({ breaking: 0, behaviour: 1, additive: 0, docs: 0, total: 1 });
    const [change] = json.changes as Record<string, unknown>[];
    expect(Object.keys(change!)).toEqual(['severity', 'rule', 'provider', 'layer', 'code', 'subject', 'message', 'old', 'new', 'details', 'side', 'file', 'line', 'col']);
    expect(change).toMatchObject({ severity: 'behaviour', rule: 'retry-changed', provider: 'evolink', layer: 'http', code: 'service_unavailable_error', side: 'new', file: 'evolink.yaml' });
    expect((change!.old as { minWaitMs: number }).minWaitMs).toBe(30000);
    expect((change!.new as { minWaitMs: number }).minWaitMs).toBe(5000);
  });

  it('github: one workflow annotation per change, escaped, with the level of its severity', () => {
    const lines = toGithub(report).split('\n');
    expect(lines[0]).toMatch(/^::warning file=evolink\.yaml,line=\d+,col=\d+,title=errspec diff%3A behaviour \(retry-changed\)::code service_unavailable_error: retry waits changed%0Aattempt 1: ≥30 s, ≤37.5 s → ≥5 s, ≤6.3 s%0Aattempt 2: /);
    const breaking = toGithub(diffAfter(EDITS.find((e) => e.name === 'a code removed')!));
    // A removal has no line in NEW to pin.
    expect(breaking).toMatch(/^::error title=errspec diff%3A breaking \(code-removed\)::code content_filtered_error removed/m);
    expect(toGithub(report, 'HEAD').split('\n')[0]).toContain('file=evolink.yaml,');
  });

  it('no change: no release', () => {
    const same = diffModels({ label: 'a', model: base.model!, files: base.files }, { label: 'b', model: base.model!, files: base.files });
    expect(same.changes).toEqual([]);
    expect(summaryLine(same)).toBe('no changes; no release needed.');
    expect(fails(same, 'any')).toBe(false);
  });
});

describe('envelopes', () => {
  const schema = (properties: Record<string, unknown>, required: string[] = []) => ({ title: 'T', type: 'object', required, properties });
  const ranked = (old: unknown, now: unknown): string[] => compareSchemas(old, now).map((c) => `${c.severity}: ${c.message}`);

  it('a new field that is required is one breaking change, not also an addition', () => {
    expect(ranked(schema({ a: { type: 'string' } }, ['a']), schema({ a: { type: 'string' }, b: { type: 'string' } }, ['a', 'b']))).toEqual(['breaking: field b is now required']);
  });
  it('a required field removed is one breaking change, not also "no longer required"', () => {
    expect(ranked(schema({ a: { type: 'string' }, b: { type: 'string' } }, ['a', 'b']), schema({ a: { type: 'string' } }, ['a']))).toEqual(['breaking: field b removed']);
  });
  it('an optional field added is additive; a field made optional breaks code that read it unchecked', () => {
    expect(ranked(schema({ a: { type: 'string' } }), schema({ a: { type: 'string' }, b: { type: 'number' } }))).toEqual(['additive: field b added']);
    expect(ranked(schema({ a: { type: 'string' } }, ['a']), schema({ a: { type: 'string' } }))).toEqual(['breaking: field a is no longer required (its type becomes optional)']);
  });
  it('types and enums: narrowed breaks, widened adds; descriptions are docs; unranked keywords break', () => {
    expect(ranked(schema({ a: { type: ['string', 'number'] } }), schema({ a: { type: 'string' } }))).toEqual(['breaking: field a retyped: number | string → string']);
    expect(ranked(schema({ a: { type: 'string' } }), schema({ a: { type: ['string', 'null'] } }))).toEqual(['additive: field a retyped: string → null | string']);
    expect(ranked(schema({ a: { enum: ['x'] } }), schema({ a: { enum: ['x', 'y'] } }))).toEqual(['additive: field a also allows "y"']);
    expect(ranked(schema({ a: { type: 'string' } }), schema({ a: { type: 'string', description: 'An a.' } }))).toEqual(['docs: field a: description changed']);
    expect(ranked(schema({ a: { type: 'string' } }), schema({ a: { type: 'string', pattern: '^x' } }))).toEqual(['breaking: field a: pattern changed (not ranked by errspec, so treated as breaking)']);
    expect(ranked({ ...schema({}), title: 'T' }, { ...schema({}), title: 'U' })).toEqual(['breaking: type T renamed to U']);
  });
});

describe('--fail-on', () => {
  const levels = (name: string): Record<string, boolean> => {
    const report = diffAfter(EDITS.find((e) => e.name === name)!);
    return Object.fromEntries((['breaking', 'behaviour', 'any', 'none'] as const).map((l) => [l, fails(report, l)]));
  };
  it('fails at or above the level', () => {
    expect(levels('a code removed')).toEqual({ breaking: true, behaviour: true, any: true, none: false });
    expect(levels('a retry rule waits less')).toEqual({ breaking: false, behaviour: true, any: true, none: false });
    expect(levels('a new code')).toEqual({ breaking: false, behaviour: false, any: true, none: false });
    expect(levels('a description')).toEqual({ breaking: false, behaviour: false, any: true, none: false });
  });
});

describe('semver advice', () => {
  const change = (severity: 'breaking' | 'behaviour' | 'additive' | 'docs') => [{ severity }] as never;
  it.each([
    ['0.1.0', 'breaking', 'minor', '0.2.0'],
    ['0.1.3', 'behaviour', 'patch', '0.1.4'],
    ['0.1.3', 'additive', 'patch', '0.1.4'],
    ['0.1.3', 'docs', 'patch', '0.1.4'],
    ['1.4.2', 'breaking', 'major', '2.0.0'],
    ['1.4.2', 'behaviour', 'minor', '1.5.0'],
    ['1.4.2', 'additive', 'minor', '1.5.0'],
    ['1.4.2', 'docs', 'patch', '1.4.3'],
    ['1.0.0-beta.1', 'breaking', 'major', null],
  ] as const)('%s with a %s change: %s → %s', (current, severity, bump, next) => {
    const advice = adviseVersion(change(severity), current);
    expect(advice).toMatchObject({ level: severity, bump, next });
  });
  it('nothing changed: no bump', () => {
    expect(adviseVersion([], '0.1.0')).toMatchObject({ level: 'none', bump: 'none', next: null });
  });
});

describe('a spec that does not validate', () => {
  it('is reported with its problems, not compared', async () => {
    const dir = copyOfShippedSpec();
    made.push(dir);
    writeFileSync(join(dir, 'ltx.yaml'), readFileSync(join(dir, 'ltx.yaml'), 'utf8').replace('status: 401\n', 'status: "401"\n'));
    const r = await runCli(['diff', SPEC_DIR, dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a valid spec; diff compares valid specs only');
    expect(r.stderr).toMatch(/ltx\.yaml:\d+:\d+: /);
  });
});
