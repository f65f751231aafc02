/**
 * Random ids (a permit's holder, an idempotency key) from the platform's Web Crypto: global in
 * Node 19 and later, browsers, Deno, Bun and workerd. A runtime without it is older than the
 * package supports (its `engines` names MINIMUM_NODE); the options check says so before anything
 * is sent.
 */

/** The oldest Node the package runs on: the first line of Node that has a global Web Crypto and is still in use. */
export const MINIMUM_NODE = 20;

export function randomId(): string {
  return crypto.randomUUID();
}

/** A usage error now, on a runtime without random ids, rather than a failure half-way through a call. */
export function requireRandomIds(): void {
  if (typeof (globalThis as { crypto?: { randomUUID?: unknown } }).crypto?.randomUUID !== 'function') {
    throw new TypeError(`this runtime has no global crypto.randomUUID, which idempotency keys and limiter permits need: run Node ${MINIMUM_NODE} or later`);
  }
}
