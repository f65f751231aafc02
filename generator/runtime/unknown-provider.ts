/**
 * The response table of a provider the package does not know (a root function called with an id
 * it does not list): no codes, no statuses, no task layer, the usual headers. Classifying with it
 * gives the taxonomy's fallback for the status; the classifiers then never ask whether they have a
 * table, and a provider's bundle, which always has one, leaves this out.
 */
import { NO_FIELDS } from './body.js';
import { readUsualHeaders } from './headers.js';
import type { ResponseTable } from './types.js';

export const UNKNOWN_PROVIDER: ResponseTable<never> = /* @__PURE__ */ unknownProviderTable();

function unknownProviderTable(): ResponseTable<never> {
  return {
    id: null,
    http: {
      conforms: () => false,
      read: () => NO_FIELDS,
      paths: { code: [], message: [], param: [], suggestion: [], subtype: [], status: null },
      codes: new Map(),
      prefixes: [],
      softFailures: null,
      statuses: new Map(),
      headers: null,
      hints: readUsualHeaders,
      codeHeaders: [],
      requestId: null,
      verdicts: [],
      retryAfter: null,
    },
  };
}
