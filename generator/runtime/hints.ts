/**
 * The stated wait and the request id of a response whose provider declares where they are (a
 * header plan, body places): the general reader. A provider that reads only the usual headers
 * names readUsualHeaders instead, and a bundle of its classifier leaves this module out.
 */
import { readPath } from './body.js';
import { idOf, NO_HEADERS, retryAfterOf } from './headers.js';
import { statedWaitIn } from './waits.js';
import type { HeaderReading, HeaderValues, HttpTable, RetryAfterPlace, Vocabulary } from './types.js';

/**
 * The stated wait and the request id, each from the headers read (`values`, by the table's plan)
 * and the body where the table says; nothing is allocated when neither is there.
 */
export function readDeclaredHints(_headers: unknown, values: HeaderValues, http: HttpTable<Vocabulary>, body: unknown): HeaderReading {
  let requestId: string | null = null;
  for (const place of http.requestId ?? []) {
    requestId = idOf('header' in place ? (values === null ? undefined : values[place.header]) : readPath(body, place.path));
    if (requestId !== null) break;
  }
  const retryAfterMs = http.retryAfter === null ? (values === null ? null : retryAfterOf(values)) : statedWait(http.retryAfter, values, body);
  return retryAfterMs === null && requestId === null ? NO_HEADERS : { retryAfterMs, requestId };
}

/** The first wait the places state, in their formats; a pattern picks it out of a text first. */
function statedWait(places: readonly RetryAfterPlace[], values: HeaderValues, body: unknown): number | null {
  for (const place of places) {
    const wait = statedWaitIn('header' in place ? (values === null ? undefined : values[place.header]) : readPath(body, place.path), place.format, place.pattern);
    if (wait !== null) return wait;
  }
  return null;
}
