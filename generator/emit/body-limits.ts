/** How classifyFetchResponse bounds its read, in the words the generated docs use: from the runtime's own constants. */
import { BODY_TIMEOUT_MS, MAX_BODY_BYTES } from '../runtime/fetch-body.js';
import { duration } from '../words.js';

export const bodyLimit = `${MAX_BODY_BYTES / (1 << 20)} MiB`;
export const bodyTime = duration(BODY_TIMEOUT_MS);
