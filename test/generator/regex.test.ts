/** The regex safety check: recheck's verdicts, as errspec reports them. */
import { describe, expect, it } from 'vitest';
import { ENVELOPE_FLAGS, patternProblem, SUBTYPE_FLAGS } from '../../generator/validate/regex.js';

const unsafePatternReason = (source: string, flags: string): string | null => patternProblem(source, flags)?.reason ?? null;

describe('patternProblem', () => {
  it.each([
    'content policy',
    '^prompt is too long',
    'file size exceeds \\d+ ?MB',
    'between \\d{1,5} and \\d{1,5}',
    '(celebrity|public figure) detected',
    '(?:nudity|nsfw)',
    'a{2}',
    '(ab)?c',
    // Bounded repetition of a choice that cannot overlap, and word boundaries: safe, and must stay accepted.
    '^(a|b){20}c',
    '\\bcelebrit(y|ies)\\b',
  ])('accepts the sub-type regex %j', (pattern) => {
    expect(unsafePatternReason(pattern, SUBTYPE_FLAGS)).toBeNull();
  });

  it.each([
    '^[a-z_]+$',
    '^\\d{3}-\\d{4}$',
    '^[A-Z][A-Za-z0-9]*$',
    // Counted repetitions past recheck's default limits, proven safe by the second, wider attempt.
    '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    '^task_[0-9a-f]{32}$',
    '^[a-z_]{1,64}$',
  ])('accepts the envelope pattern %j', (pattern) => {
    expect(unsafePatternReason(pattern, ENVELOPE_FLAGS)).toBeNull();
  });

  it.each([
    // Bounded repetition of something that backtracks: what the old structural check let through.
    ['^(.*a){12}x', 'polynomial (degree 12)'],
    ['^(a+){3}$', 'polynomial (degree 3)'],
    ['(a+)+$', 'exponential'],
    ['(a|a)*$', 'exponential'],
    // Unanchored, the search itself retries at every position: one degree more.
    ['\\s*\\s*\\s*x', 'polynomial (degree 4)'],
    // Unanchored, a single repetition retried at every position is quadratic.
    ['[a-z]+ detected', 'polynomial (degree 2)'],
  ])('rejects %j, naming its cost and an attack string', (pattern, cost) => {
    const reason = unsafePatternReason(pattern, SUBTYPE_FLAGS);
    expect(reason).toContain(`it can backtrack for ${cost} time, e.g. on the attack string '`);
  });

  it('rejects the envelope pattern ^(.* ){3}[A-Za-z], which ajv would run on the whole string', () => {
    expect(unsafePatternReason('^(.* ){3}[A-Za-z]', ENVELOPE_FLAGS)).toContain('polynomial (degree 3)');
  });

  it('rejects what recheck can only fuzz: proof, not the absence of a found attack, is required', () => {
    expect(unsafePatternReason('(?<=a)b+c', SUBTYPE_FLAGS)).toContain('recheck cannot prove it safe: only fuzzing applies to it');
    // Fuzzing does find attacks, and those are reported as such.
    expect(unsafePatternReason('(\\w+)x\\1', SUBTYPE_FLAGS)).toContain('it can backtrack for polynomial');
    expect(unsafePatternReason('x{1,64}y+', SUBTYPE_FLAGS)).toContain('it can backtrack for polynomial');
  });

  it.each([
    ['(unclosed', SUBTYPE_FLAGS],
    ['[z-a]', SUBTYPE_FLAGS],
    ['\\p{Letter', ENVELOPE_FLAGS],
  ])('reports %j as an invalid regular expression', (pattern, flags) => {
    expect(patternProblem(pattern, flags)?.kind).toBe('invalid');
  });
});
