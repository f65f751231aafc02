/**
 * The spec tests itself: every example in spec/ runs through the generated package (not the
 * generator's in-memory copy), and must classify as it declares.
 */
import { describe, expect, it } from 'vitest';
import { classifyResponse, classifyTask, type ProviderId } from '../generated/index.js';
import type { ExampleModel } from '../generator/model.js';
import { checkDir, SPEC_DIR } from './helpers.js';

const { model } = checkDir(SPEC_DIR);
if (!model) throw new Error('the shipped spec is invalid; run npm run validate');

const rows = model.providers.flatMap((provider) =>
  [provider.http, provider.task].flatMap((layer) =>
    (layer?.examples ?? []).map((example): [string, string, ExampleModel] => [
      `${provider.id} ${example.layer}: ${example.name} (${example.at.file}:${example.at.line})`,
      provider.id,
      example,
    ]),
  ),
);

describe('spec examples through the generated package', () => {
  it('covers every provider and layer', () => {
    expect(rows.length).toBeGreaterThan(50);
    for (const provider of model.providers) {
      expect(rows.some(([, id, e]) => id === provider.id && e.layer === 'http')).toBe(true);
      if (provider.task) expect(rows.some(([, id, e]) => id === provider.id && e.layer === 'task')).toBe(true);
    }
  });

  it.each(rows)('%s', (_name, provider, example) => {
    const id = provider as ProviderId;
    const result =
      example.layer === 'http'
        ? classifyResponse(id, { status: example.status ?? 0, headers: example.headers, body: example.body })
        : classifyTask(id, example.body);
    if (example.expect === null) {
      expect(result).toBeNull();
      return;
    }
    expect(result).not.toBeNull();
    expect(result).toMatchObject(example.expect);
    expect(result?.provider).toBe(provider);
    expect(result?.source).toBe(example.layer);
  });

  it('also passes raw JSON text the same way as parsed bodies', () => {
    for (const [, provider, example] of rows) {
      if (example.layer !== 'http' || typeof example.body !== 'object') continue;
      const id = provider as ProviderId;
      const parsed = classifyResponse(id, { status: example.status ?? 0, headers: example.headers, body: example.body });
      const text = classifyResponse(id, { status: example.status ?? 0, headers: example.headers, body: JSON.stringify(example.body) });
      expect(text).toEqual(parsed);
    }
  });
});
