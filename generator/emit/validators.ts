/**
 * Envelope validators from ajv's standalone code. The package has no dependencies, so the few ajv
 * runtime helpers standalone code can `require` are inlined, and any other `require` fails the run
 * rather than ship.
 */
import { STANDALONE_EXPORT } from '../envelopes.js';
import type { LayerModel, ProviderModel } from '../model.js';
import { envelopeCheckName, validatorName } from './names.js';
import { indentByBrackets } from './indent.js';
import type { Declaration } from './module.js';

/** Self-contained replacements for ajv's runtime helpers, keyed by module path. */
const INLINE_HELPERS: Readonly<Record<string, string>> = {
  'ajv/dist/runtime/ucs2length': `{ default: (str) => { let length = 0; let pos = 0; while (pos < str.length) { length++; const value = str.charCodeAt(pos++); if (value >= 0xd800 && value <= 0xdbff && pos < str.length && (str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++; } return length; } }`,
  'ajv/dist/runtime/equal': `{ default: function equal(a, b) { if (a === b) return true; if (a && b && typeof a === 'object' && typeof b === 'object') { if (Array.isArray(a) !== Array.isArray(b)) return false; const keys = Object.keys(a); if (keys.length !== Object.keys(b).length) return false; return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k])); } return a !== a && b !== b; } }`,
};

const EXPORT_LINE = new RegExp(`^export const ${STANDALONE_EXPORT} = (\\w+);\\n?`, 'm');

/**
 * The provider's envelope validators, as declarations of its table module. Each envelope's ajv
 * code keeps ajv's own numbered names inside a scope of its own, so they never clash with another
 * envelope's; the table checks bodies with that raw function (the classifiers guard the call),
 * and the package exports it wrapped so that it never throws.
 */
export function validatorDeclarations(provider: ProviderModel, sources: Readonly<Record<string, string>>): Declaration[] {
  const layers = [provider.http, provider.task].filter((l): l is LayerModel => l !== null);
  return layers.flatMap((layer): Declaration[] => {
    const { typeName } = layer;
    const check = envelopeCheckName(typeName);
    return [
      { kind: 'raw', in: ['js'], text: scoped(check, typeName, sources[typeName] as string) },
      {
        kind: 'const',
        exported: false,
        ambient: true,
        name: check,
        type: `EnvelopeValidator<${typeName}>`,
        value: '',
        docs: `ajv's standalone validator of the ${typeName} envelope; it throws on a hostile value.`,
      },
      {
        kind: 'const',
        exported: true,
        name: validatorName(typeName),
        type: `EnvelopeValidator<${typeName}>`,
        value: `totalValidator(${check})`,
        docs: `Checks a parsed body against the ${typeName} envelope; \`errors\` explains the last failure. Never throws.`,
      },
    ];
  });
}

/** ajv's code for one envelope inside a function scope that returns its validator. */
function scoped(name: string, typeName: string, standaloneCode: string): string {
  // ESM is always strict, so ajv's directive (which would not be one mid-module) is dropped.
  const code = inlineRequires(standaloneCode).replace(/^"use strict";\n?/, '');
  const root = EXPORT_LINE.exec(code)?.[1];
  if (root === undefined) throw new Error(`internal error: ajv's code for ${typeName} exports no ${STANDALONE_EXPORT}`);
  const body = indentByBrackets(code.replace(EXPORT_LINE, '')).replace(/^(?=.)/gm, '  ');
  return `/** ajv's standalone code for ${typeName}, scoped so that its numbered names stay its own. */\nconst ${name} = (() => {\n${body}  return ${root};\n})();`;
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
