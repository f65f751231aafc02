/**
 * Random ids (a permit's holder, an idempotency key) from the platform's Web Crypto: global in
 * Node 19 and later, browsers, Deno, Bun and workerd. A runtime without it is older than the
 * package supports; the options check says so before anything is sent.
 */
export function randomId(): string {
  return crypto.randomUUID();
}

export function hasRandomId(): boolean {
  return typeof (globalThis as { crypto?: { randomUUID?: unknown } }).crypto?.randomUUID === 'function';
}
