/**
 * Envelope validators from ajv's standalone code. The package has no dependencies, so the few ajv
 * runtime helpers standalone code can `require` are inlined, and any other `require` fails the run
 * rather than ship.
 */
import { STANDALONE_EXPORT } from '../envelopes.js';
import type { LayerModel, ProviderModel } from '../model.js';
import { envelopeCheckName, validatorName } from './names.js';
import { indentByBrackets } from './indent.js';
import type { Declaration, ModuleSpec } from './module.js';

/** Self-contained replacements for ajv's runtime helpers, keyed by module path. */
const INLINE_HELPERS: Readonly<Record<string, string>> = {
  'ajv/dist/runtime/ucs2length': `{ default: (str) => { let length = 0; let pos = 0; while (pos < str.length) { length++; const value = str.charCodeAt(pos++); if (value >= 0xd800 && value <= 0xdbff && pos < str.length && (str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++; } return length; } }`,
  'ajv/dist/runtime/equal': `{ default: function equal(a, b) { if (a === b) return true; if (a && b && typeof a === 'object' && typeof b === 'object') { if (Array.isArray(a) !== Array.isArray(b)) return false; const keys = Object.keys(a); if (keys.length !== Object.keys(b).length) return false; return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k])); } return a !== a && b !== b; } }`,
};

const EXPORT_LINE = new RegExp(`^export const ${STANDALONE_EXPORT} = (\\w+);\\n?`, 'm');

/**
 * The module `<provider>/validators`: ajv's standalone code for each envelope, each in a scope of
 * its own so that ajv's numbered names never clash with another envelope's. The provider's entry
 * exports them made total (validatorExports); the table imports one only where a shape check
 * cannot stand in for it, so that the package root, which loads every table, loads none of this.
 * In the TypeScript output form it is JavaScript that is not type-checked (`// @ts-nocheck`), each
 * validator exported with its envelope's type, so that what imports it is checked as strictly as
 * the app around it.
 */
export function validatorModule(provider: ProviderModel, sources: Readonly<Record<string, string>>): ModuleSpec {
  const layers = layersOf(provider);
  return {
    path: `${provider.id}/validators`,
    from: provider.file,
    untyped: true,
    declarations: [
      { kind: 'import', from: '../runtime.js', names: ['EnvelopeValidator'], type: true },
      { kind: 'import', from: './types.js', names: layers.map((l) => l.typeName), type: true },
      ...layers.flatMap((layer): Declaration[] => {
        const { typeName } = layer;
        const check = envelopeCheckName(typeName);
        const source = sources[typeName] as string;
        return [
          { kind: 'raw', in: ['js'], text: scoped(check, typeName, source) },
          { kind: 'raw', in: ['src'], text: scoped(check, typeName, source, `EnvelopeValidator<${typeName}>`) },
          {
            kind: 'const',
            exported: true,
            ambient: true,
            name: check,
            type: `EnvelopeValidator<${typeName}>`,
            value: '',
            docs: `ajv's standalone validator of the ${typeName} envelope; it throws on a hostile value, so the package exports ${validatorName(typeName)} instead.`,
          },
        ];
      }),
    ],
  };
}

/**
 * The exported validators of a provider's entry: the raw ones of its validators module, made
 * total. Made there, so that importing the package root (which loads every table) does no such work.
 */
export function validatorExports(provider: ProviderModel): Declaration[] {
  return layersOf(provider).map((layer): Declaration => ({
    kind: 'const',
    exported: true,
    name: validatorName(layer.typeName),
    type: `EnvelopeValidator<${layer.typeName}>`,
    // Pure, so that a bundle that never validates drops the wrapper with it.
    value: `/* @__PURE__ */ totalValidator(${envelopeCheckName(layer.typeName)})`,
    docs: `Checks a parsed body against the ${layer.typeName} envelope; \`errors\` explains the last failure. Never throws.`,
  }));
}

function layersOf(provider: ProviderModel): LayerModel[] {
  return [provider.http, provider.task].filter((l): l is LayerModel => l !== null);
}

/** ajv's code for one envelope inside a function scope that returns its validator. */
function scoped(name: string, typeName: string, standaloneCode: string, type?: string): string {
  // ESM is always strict, so ajv's directive (which would not be one mid-module) is dropped.
  const code = inlineRequires(standaloneCode).replace(/^"use strict";\n?/, '');
  const root = EXPORT_LINE.exec(code)?.[1];
  if (root === undefined) throw new Error(`internal error: ajv's code for ${typeName} exports no ${STANDALONE_EXPORT}`);
  const body = indentByBrackets(code.replace(EXPORT_LINE, '')).replace(/^(?=.)/gm, '  ');
  // A declaration called once, not a parenthesised arrow: V8 compiles those eagerly, validators and all.
  // Pure, so that a bundle whose tables never check this envelope (a task's, when only responses are classified) drops it.
  const scope = `${name}Scope`;
  return `/** ajv's standalone code for ${typeName}, in a scope of its own so that its numbered names stay its own. */\nfunction ${scope}() {\n${body}  return ${root};\n}\nexport const ${name}${type ? `: ${type}` : ''} = /* @__PURE__ */ ${scope}();`;
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
