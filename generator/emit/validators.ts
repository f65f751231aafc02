/**
 * Envelope validators from ajv's standalone code. The package has no dependencies, so the few ajv
 * runtime helpers standalone code can `require` are inlined, and any other `require` fails the run
 * rather than ship.
 */
import type { LayerModel, ProviderModel } from '../model.js';
import { validatorName } from './names.js';
import { indentByBrackets } from './indent.js';
import type { Declaration } from './module.js';

/** Self-contained replacements for ajv's runtime helpers, keyed by module path. */
const INLINE_HELPERS: Readonly<Record<string, string>> = {
  'ajv/dist/runtime/ucs2length': `{ default: (str) => { let length = 0; let pos = 0; while (pos < str.length) { length++; const value = str.charCodeAt(pos++); if (value >= 0xd800 && value <= 0xdbff && pos < str.length && (str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++; } return length; } }`,
  'ajv/dist/runtime/equal': `{ default: function equal(a, b) { if (a === b) return true; if (a && b && typeof a === 'object' && typeof b === 'object') { if (Array.isArray(a) !== Array.isArray(b)) return false; const keys = Object.keys(a); if (keys.length !== Object.keys(b).length) return false; return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k])); } return a !== a && b !== b; } }`,
};

/**
 * The provider's envelope validators, as declarations of its table module: ajv's code in the
 * JavaScript, typed guards in the declarations. They share the table's module because every
 * module costs the package's cold import about half a millisecond.
 */
export function validatorDeclarations(provider: ProviderModel, standaloneCode: string): Declaration[] {
  const layers = [provider.http, provider.task].filter((l): l is LayerModel => l !== null);
  // ESM is always strict, so ajv's directive (which would not be one mid-module) is dropped.
  const code = inlineRequires(standaloneCode).replace(/^"use strict";\n?/, '');
  return [
    { kind: 'raw', in: ['js'], text: `// Envelope validators: ajv standalone code for ${layers.map((l) => l.typeName).join(' and ')}.\n${indentByBrackets(code)}` },
    ...layers.map((l): Declaration => ({
      kind: 'const',
      exported: true,
      ambient: true,
      name: validatorName(l.typeName),
      type: `EnvelopeValidator<${l.typeName}>`,
      value: '',
      docs: `Checks a parsed body against the ${l.typeName} envelope; \`errors\` explains the last failure.`,
    })),
  ];
}

function inlineRequires(code: string): string {
  const replaced = code.replace(/require\("([^"]+)"\)/g, (_call, module: string) => {
    const inline = INLINE_HELPERS[module];
    if (inline === undefined) throw new Error(`ajv standalone code needs "${module}", which the generated package cannot import`);
    return `(${inline})`;
  });
  if (replaced.includes('require(')) throw new Error('ajv standalone code still contains require()');
  return replaced;
}
