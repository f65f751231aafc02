/**
 * Emits `<provider>/validators.js` from ajv's standalone code, plus its `.d.ts`. The package has
 * no dependencies, so the few ajv runtime helpers standalone code can `require` are inlined, and
 * any other `require` fails the run rather than ship.
 */
import standalone from 'ajv/dist/standalone/index.js';
import type { CompiledEnvelopes } from '../envelopes.js';
import type { LayerModel, ProviderModel } from '../model.js';
import { header } from './header.js';
import { validatorName } from './names.js';
import type { OutputFile } from './output.js';
import { indentByBrackets } from './indent.js';
import { printModule, type Declaration } from './module.js';
import type { TsMorph } from './printer.js';

// ajv's module is CommonJS; its function is both the export and `.default`.
const standaloneCode = standalone.default;

/** Self-contained replacements for ajv's runtime helpers, keyed by module path. */
const INLINE_HELPERS: Readonly<Record<string, string>> = {
  'ajv/dist/runtime/ucs2length': `{ default: (str) => { let length = 0; let pos = 0; while (pos < str.length) { length++; const value = str.charCodeAt(pos++); if (value >= 0xd800 && value <= 0xdbff && pos < str.length && (str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++; } return length; } }`,
  'ajv/dist/runtime/equal': `{ default: function equal(a, b) { if (a === b) return true; if (a && b && typeof a === 'object' && typeof b === 'object') { if (Array.isArray(a) !== Array.isArray(b)) return false; const keys = Object.keys(a); if (keys.length !== Object.keys(b).length) return false; return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k])); } return a !== a && b !== b; } }`,
};

export function emitValidators(provider: ProviderModel, envelopes: CompiledEnvelopes, tsMorph: TsMorph): OutputFile[] {
  const layers = [provider.http, provider.task].filter((l): l is LayerModel => l !== null);
  const refs = Object.fromEntries(layers.map((l) => [validatorName(l.typeName), l.typeName]));
  const code = inlineRequires(standaloneCode(envelopes.ajv, refs));
  const js = `${header(`${provider.file} (ajv standalone validators)`)}\n${indentByBrackets(code)}`;

  const dts = printModule(
    tsMorph,
    {
      path: `${provider.id}/validators`,
      from: provider.file,
      declarations: [
        { kind: 'import', from: '../runtime/types.js', names: ['EnvelopeValidator'], type: true },
        { kind: 'import', from: './types.js', names: layers.map((l) => l.typeName), type: true },
        ...layers.map((l): Declaration => ({
          kind: 'const',
          exported: true,
          name: validatorName(l.typeName),
          type: `EnvelopeValidator<${l.typeName}>`,
          value: '',
          docs: `Checks a parsed body against the ${l.typeName} envelope; \`errors\` explains the last failure.`,
        })),
      ],
    },
    'dts',
  );
  return [
    { path: `${provider.id}/validators.js`, content: js },
    { path: `${provider.id}/validators.d.ts`, content: dts },
  ];
}

function inlineRequires(code: string): string {
  const replaced = code.replace(/require\("([^"]+)"\)/g, (call, module: string) => {
    const inline = INLINE_HELPERS[module];
    if (inline === undefined) throw new Error(`ajv standalone code needs "${module}", which the generated package cannot import`);
    return `(${inline})`;
  });
  if (replaced.includes('require(')) throw new Error('ajv standalone code still contains require()');
  return replaced;
}
