/**
 * The provider-generic checks (generic.ts) on the shipped package: every spec example runs through
 * the generated package (not the generator's in-memory copy) and must classify as it declares;
 * the generated field readers agree with the generic one; every classifier is total.
 */
import { registerProviderChecks, loadPackage } from './generic.js';
import { checkDir, GENERATED_DIR, SPEC_DIR } from './helpers.js';

const { model } = checkDir(SPEC_DIR);
if (!model) throw new Error('the shipped spec is invalid; run npm run validate');

registerProviderChecks(model, () => loadPackage(GENERATED_DIR, model));
