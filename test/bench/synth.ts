/**
 * Synthetic specs for the generator's scaling benchmark: `codes` error codes spread over
 * providers of 250 codes at most, each with an envelope, a status table, sub-types and examples
 * in the proportions of the shipped spec.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CATEGORIES = ['invalid_request', 'authentication', 'permission', 'not_found', 'rate_limited', 'server_error', 'overloaded', 'content_policy'];
const STATUS: Record<string, number> = { invalid_request: 400, authentication: 401, permission: 403, not_found: 404, rate_limited: 429, server_error: 500, overloaded: 503, content_policy: 422 };

export function writeSyntheticSpec(dir: string, codes: number, taxonomyFrom: string): { providers: number } {
  mkdirSync(dir, { recursive: true });
  cpSync(taxonomyFrom, join(dir, 'taxonomy.yaml'));
  const perProvider = Math.min(250, Math.max(25, Math.ceil(codes / 4)));
  const providers = Math.ceil(codes / perProvider);
  for (let p = 0; p < providers; p++) {
    const count = Math.min(perProvider, codes - p * perProvider);
    writeFileSync(join(dir, `p${p}.yaml`), provider(p, count));
  }
  return { providers };
}

function provider(index: number, count: number): string {
  const id = `p${index}`;
  const title = `P${index}Error`;
  const lines = [
    `provider: ${id}`,
    `name: Provider ${index}`,
    'sources:',
    '  docs: { document: docs/errors.md }',
    'layers:',
    '  http:',
    '    envelope:',
    `      title: ${title}`,
    '      type: object',
    '      required: [error]',
    '      properties:',
    '        error:',
    '          type: object',
    '          required: [code, message]',
    '          properties:',
    '            code: { type: string }',
    '            message: { type: string }',
    '            param: { type: string }',
    '    fields: { code: error.code, message: error.message, param: error.param }',
    '    statuses:',
    '      500: { category: server_error, description: Server error., source: docs }',
    // Several codes share each status, so the table names the one a bare status means.
    ...CATEGORIES.flatMap((category, c) => (c < count && STATUS[category] !== 500 ? [`      ${STATUS[category]}: { code: ${id}_error_${c} }`] : [])),
    '    codes:',
  ];
  for (let c = 0; c < count; c++) {
    const category = CATEGORIES[c % CATEGORIES.length] as string;
    const code = `${id}_error_${c}`;
    lines.push(
      `      ${code}:`,
      `        status: ${STATUS[category]}`,
      `        category: ${category}`,
      `        description: Synthetic error ${c} of provider ${index}.`,
      '        source: docs',
    );
    if (c % 5 === 0) {
      lines.push('        subtypes:', `          - { id: first_${c}, description: First reason, contains: first reason ${c} }`, `          - { id: second_${c}, description: Second reason, contains: second reason ${c} }`);
    }
    if (c % 10 === 0) {
      lines.push(
        '        examples:',
        `          - status: ${STATUS[category]}`,
        `            body: { error: { code: ${code}, message: first reason ${c} happened } }`,
        `            expect: { category: ${category}, code: ${code}, known: true, conforms: true${c % 5 === 0 ? `, subtype: first_${c}` : ''} }`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
