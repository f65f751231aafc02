/** Semantic checks that depend on more than one file's text, which the corpus cannot pin down. */
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDir, diagnosticLines, MINIMAL_PROVIDER, removeDir, specFolder } from '../helpers.js';

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

describe('a duplicate envelope title', () => {
  const withTitle = (id: string) => MINIMAL_PROVIDER.replace('provider: acme', `provider: ${id}`).replace('title: AcmeError', 'title: StandardEnvelope');

  it('naming no provider, is blamed on the file changed last: the copy, not its original', () => {
    const dir = specFolder({ 'zeta.yaml': withTitle('zeta'), 'aaa.yaml': withTitle('aaa') });
    made.push(dir);
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(dir, 'zeta.yaml'), hourAgo, hourAgo);
    expect(diagnosticLines(checkDir(dir))).toEqual([
      'aaa.yaml:9:14: envelope title "StandardEnvelope" is already taken (first declared at zeta.yaml:9:14); titles become TypeScript type names, so rename this one, e.g. to "AaaStandardEnvelope"',
    ]);
  });

  it('between files of one age, is blamed on the later file', () => {
    const dir = specFolder({ 'zeta.yaml': withTitle('zeta'), 'aaa.yaml': withTitle('aaa') });
    made.push(dir);
    const now = new Date();
    for (const name of ['aaa.yaml', 'zeta.yaml']) utimesSync(join(dir, name), now, now);
    expect(diagnosticLines(checkDir(dir))[0]).toMatch(/^zeta\.yaml:9:14: .*first declared at aaa\.yaml:9:14/);
  });
});

describe('a provider id that does not match its file name', () => {
  it('offers the file name as the id only when it is a valid id', () => {
    const dir = specFolder({ 'LTX.yaml': MINIMAL_PROVIDER.replace('provider: acme', 'provider: ltx') });
    made.push(dir);
    expect(diagnosticLines(checkDir(dir))).toEqual(['LTX.yaml:2:11: provider id "ltx" does not match the file name LTX.yaml; rename the file to ltx.yaml']);
  });
});
