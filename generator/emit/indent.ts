/** Indentation fixes that keep generated JavaScript reviewable without running a formatter. */

/** The TypeScript printer indents by four; the package uses two. */
export function halveIndent(text: string): string {
  return text.replace(/^((?: {4})+)/gm, (spaces) => ' '.repeat(spaces.length / 2));
}

/**
 * Indents code that has none (ajv's standalone output) by bracket depth, two spaces a level.
 * String and template contents are skipped, so brackets inside them do not count.
 */
export function indentByBrackets(text: string): string {
  let depth = 0;
  let quote: string | null = null;
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const leadingClosers = quote === null ? (/^[)\]}]+/.exec(line)?.[0].length ?? 0) : 0;
    out.push('  '.repeat(Math.max(0, depth - leadingClosers)) + line);
    for (let i = 0; i < line.length; i++) {
      const ch = line[i] as string;
      if (quote !== null) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = null;
      } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
      else if (ch === '{' || ch === '(' || ch === '[') depth++;
      else if (ch === '}' || ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
    }
    // A quote left open at the end of a line is a regex or division we misread; never carry it on.
    if (quote !== '`') quote = null;
  }
  return out.join('\n') + '\n';
}
