/** `npm run build`'s second step: compile the runtime once and store it (see runtime-cache.ts). */
import { compileRuntime, runtimeModules } from './emit/compile.js';
import { loadTsMorph } from './emit/printer.js';
import { readRuntimeSources } from './load.js';
import { readGeneratorFingerprint, runtimeCacheKey, writeRuntimeCache } from './runtime-cache.js';

const tsMorph = loadTsMorph();
const key = runtimeCacheKey(readGeneratorFingerprint(), tsMorph.ts.version);
writeRuntimeCache({ key, files: compileRuntime(tsMorph, runtimeModules(readRuntimeSources())) });
