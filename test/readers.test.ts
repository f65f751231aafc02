/**
 * The example checks read bodies with the generic reader; the package reads them with the readers
 * errspec generates. They must agree on every body, or the spec would test something other than
 * what ships.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { evolinkTable } from '../generated/evolink/index.js';
import { foxapiTable } from '../generated/foxapi/index.js';
import { ltxTable } from '../generated/ltx/index.js';
import { wubbleTable } from '../generated/wubble/index.js';
import { genericReader } from '../generator/tables.js';
import { checkDir, SPEC_DIR } from './helpers.js';

const { model } = checkDir(SPEC_DIR);
const generated = { evolink: evolinkTable, foxapi: foxapiTable, ltx: ltxTable, wubble: wubbleTable } as const;

/** Bodies shaped like the providers' envelopes, with any values at their leaves. */
const leaf = fc.oneof(fc.jsonValue(), fc.constantFrom('rate_limit_error', 'failed', 'length'));
const body = fc.oneof(
  fc.jsonValue(),
  fc.record({ error: fc.record({ type: leaf, code: leaf, message: leaf, param: leaf, fallback_suggestion: leaf, details: fc.record({ param: leaf, type: leaf }, { requiredKeys: [] }) }, { requiredKeys: [] }), status: leaf, type: leaf }, { requiredKeys: [] }),
);

describe('generated field readers', () => {
  for (const provider of model!.providers) {
    for (const layer of [provider.http, provider.task]) {
      if (!layer) continue;
      const table = generated[provider.id as keyof typeof generated];
      const read = layer.layer === 'http' ? table.http.read : table.task!.read;
      const generic = genericReader(layer);
      test.prop([body], { numRuns: 200 })(`${provider.id} ${layer.layer}: agree with the generic reader`, (value) => {
        expect(read(value as never)).toEqual(generic(value as never));
      });
    }
  }
});
