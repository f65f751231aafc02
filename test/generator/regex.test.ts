import { describe, expect, it } from 'vitest';
import { unsafePatternReason } from '../../generator/validate/regex.js';

describe('unsafePatternReason', () => {
  it.each([
    'content policy',
    '^prompt is too long',
    'file size exceeds \\d+ ?MB',
    'between \\d{1,5} and \\d{1,5}',
    '(celebrity|public figure) detected',
    '[a-z]+ detected',
    '(?:nudity|nsfw)',
    'a{2}',
    '(ab)?c',
    'a+b',
    'x{1,64}y+',
  ])('accepts %j', (pattern) => {
    expect(unsafePatternReason(pattern)).toBeNull();
  });
  it.each([
    ['(a+)+$', 'nested repetition'],
    ['(\\w+\\s?)+$', 'nested repetition'],
    ['(a|a)*', 'alternation'],
    ['(x+x+)+y', 'nested repetition'],
    ['((ab)*c)*', 'nested repetition'],
    ['(.*a){2,}', 'nested repetition'],
    ['(\\w+) \\1', 'backreferences'],
    ['(?<w>a) \\k<w>', 'backreferences'],
    ['(unclosed', 'invalid regular expression'],
    ['[z-a]', 'invalid regular expression'],
    ['\\s*\\s*\\s*x', '3 unbounded repetitions'],
    ['(\\w+) (\\w+)', '2 unbounded repetitions'],
    ['a{1,}b{1,100}', '2 unbounded repetitions'],
  ])('rejects %j', (pattern, reason) => {
    expect(unsafePatternReason(pattern)).toContain(reason);
  });

  it('requires envelope patterns to be anchored', () => {
    expect(unsafePatternReason('^[a-z_]+$', { anchored: true })).toBeNull();
    expect(unsafePatternReason('[a-z_]+$', { anchored: true })).toContain('must start with ^');
    expect(unsafePatternReason('^\\w+\\s\\w+$', { anchored: true })).toContain('2 unbounded repetitions');
  });
});
