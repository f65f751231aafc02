/** `npm run build`'s second step, after tsc: fill the build cache (see build-cache.ts). */
import standalone from 'ajv/dist/standalone/index.js';
import { readGeneratorFingerprint, runtimeCacheKey, writeFormatValidators, writeGeneratorFingerprint, writeRuntimeCache } from './build-cache.js';
import { compileRuntime, runtimeModules } from './emit/compile.js';
import { loadTsMorph } from './emit/printer.js';
import { readFormatSchemas, readRuntimeSources } from './load.js';
import { createFormatAjv } from './validate/schema.js';

const fingerprint = readGeneratorFingerprint();
writeGeneratorFingerprint(fingerprint);
const tsMorph = loadTsMorph();
writeRuntimeCache({
  key: runtimeCacheKey(fingerprint, tsMorph.ts.version),
  files: compileRuntime(tsMorph, runtimeModules(readRuntimeSources())),
});

const schemas = readFormatSchemas();
const ajv = createFormatAjv(schemas, { source: true });
const exports = Object.fromEntries(Object.entries(schemas).map(([role, schema]) => [role, String(schema.$id)]));
writeFormatValidators(fingerprint, standalone.default(ajv, exports));
