/**
 * Emits `<provider>/types.d.ts`: the envelope types, through json-schema-to-typescript without
 * Prettier (which would be most of its run time). Titles are unique across the spec, so no type
 * is renamed with a number suffix.
 */
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import type { LayerModel, ProviderModel } from '../model.js';
import { header } from './header.js';
import type { OutputFile } from './output.js';

export async function emitEnvelopeTypes(provider: ProviderModel): Promise<OutputFile> {
  const layers = [provider.http, provider.task].filter((l): l is LayerModel => l !== null);
  const declarations = await Promise.all(
    layers.map((layer) =>
      compile(structuredClone(layer.envelope) as JSONSchema, layer.typeName, {
        bannerComment: '',
        format: false,
        additionalProperties: false,
        unreachableDefinitions: true,
        enableConstEnums: false,
        strictIndexSignatures: true,
        $refOptions: { resolve: { http: false, file: false } } as never,
      }),
    ),
  );
  const content = `${header(provider.file, 'dts')}\n\n${declarations.map(tidy).join('\n')}`;
  return { path: `${provider.id}/types.d.ts`, content };
}

/** The unformatted output is valid but dense; give it the package's two-space indentation. */
function tidy(declaration: string): string {
  let depth = 0;
  const lines: string[] = [];
  for (const raw of declaration.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (/^[}\]]/.test(line)) depth = Math.max(0, depth - 1);
    // Doc comment lines continue under the `/**` that opened them.
    lines.push('  '.repeat(depth) + (line.startsWith('*') ? ' ' : '') + line);
    if (/[{[]$/.test(line)) depth++;
  }
  return lines.join('\n') + '\n';
}
