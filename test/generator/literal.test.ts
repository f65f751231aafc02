import { describe, expect, it } from 'vitest';
import { commentText, printLiteral, quote } from '../../generator/emit/literal.js';

const HOSTILE = [
  "it's",
  'say "hi"',
  'back\\slash',
  'ends with \\',
  'line\nbreak\r\n',
  'tab\there',
  '*/ end of comment',
  '/* start',
  '`backtick` and ${injection}',
  '</script>',
  'line\u2028separator\u2029paragraph',
  '\u0000\u0007\u001b\u007f',
  'emoji 🎉 and astral 𝌆',
  "'); process.exit(1); ('",
];

describe('quote', () => {
  it.each(HOSTILE)('round-trips %j through a JavaScript string literal', (value) => {
    const literal = quote(value);
    expect(literal).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(new Function(`return ${literal};`)()).toBe(value);
  });
});

describe('commentText', () => {
  it.each(HOSTILE)('cannot end a block comment or break a line: %j', (value) => {
    const text = commentText(value);
    expect(text).not.toContain('*/');
    expect(text).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(new Function(`/** ${text} */ return 1;`)()).toBe(1);
  });
});

describe('printLiteral', () => {
  it('prints data that evaluates back to itself', () => {
    const value = {
      text: HOSTILE.join(' '),
      list: [1, 'two', null, true],
      nested: { deeper: [{ a: 1 }] },
      map: new Map<unknown, unknown>([['k', { v: 1 }], [429, 'x']]),
      pattern: /a\/b[\]]/i,
    };
    const printed = printLiteral(value);
    const back = new Function(`return ${printed};`)() as typeof value;
    expect(back.text).toBe(value.text);
    expect(back.list).toEqual(value.list);
    expect(back.nested).toEqual(value.nested);
    expect([...back.map]).toEqual([...value.map]);
    expect(back.pattern.source).toBe(value.pattern.source);
    expect(back.pattern.flags).toBe('i');
  });
  it('keeps __proto__ as an own property instead of setting the prototype', () => {
    const back = new Function(`return ${printLiteral(JSON.parse('{"__proto__":"x"}'))};`)() as object;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(back)).toEqual(['__proto__']);
  });
  it('prints named objects by name', () => {
    const shared = new Map();
    expect(printLiteral({ codes: shared }, { names: new Map([[shared, 'httpCodes']]) })).toContain('codes: httpCodes');
  });
  it('refuses values it cannot print faithfully', () => {
    expect(() => printLiteral(NaN)).toThrow();
    expect(() => printLiteral(() => 1)).toThrow();
  });
});
