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
  ])('rejects %j', (pattern, reason) => {
    expect(unsafePatternReason(pattern)).toContain(reason);
  });
});
