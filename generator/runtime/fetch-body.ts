/**
 * Reading a fetch `Response` body for classification: once, at most MAX_BODY_BYTES, within a time
 * limit, never rejecting. A body that cannot be read says why, for the classification's message.
 */

/** Error bodies are small; past this much the text is cut off, and the stream is cancelled. */
export const MAX_BODY_BYTES: number = 1 << 20;
/** How long the body may take to arrive, unless the caller says otherwise. */
export const BODY_TIMEOUT_MS: number = 30_000;

export interface FetchBodyOptions {
  /** Stops reading; the body then counts as not read. */
  signal?: AbortSignal | undefined;
  /** The most time the whole body may take, in ms (default 30 000). */
  timeoutMs?: number | undefined;
}

/** The body as classifyResponse takes it (text, null for none, or what a plain object held), or why it was not read. */
export type BodyRead = { readonly body: unknown; readonly unread: null } | { readonly body: undefined; readonly unread: string };

interface ReaderLike {
  read(): Promise<{ done?: boolean; value?: unknown }>;
  cancel(): Promise<unknown>;
  releaseLock(): void;
}

const unread = (why: string): BodyRead => ({ body: undefined, unread: why });

/**
 * Reads through the body stream where there is one, so that no more than MAX_BODY_BYTES are ever
 * buffered. A response-like object whose `body` is already text or a parsed value gives that body
 * as it is.
 */
export async function readBody(response: unknown, options?: FetchBodyOptions): Promise<BodyRead> {
  try {
    const r = response as { body?: unknown; bodyUsed?: unknown; text?: unknown };
    if (r.bodyUsed === true) return unread('it was already consumed');
    const body = r.body;
    if (body === null) return { body: null, unread: null };
    if (typeof body === 'object' && typeof (body as { getReader?: unknown }).getReader === 'function') {
      return await withinLimits(options, (stop) => readStream((body as { getReader(): ReaderLike }).getReader(), stop));
    }
    if (body === undefined && typeof r.text === 'function') {
      return await withinLimits(options, async () => {
        const text: unknown = await (r as { text(): Promise<unknown> }).text();
        return typeof text === 'string' ? { body: text.slice(0, MAX_BODY_BYTES), unread: null } : unread('its text was not a string');
      });
    }
    return { body, unread: null };
  } catch {
    return unread('reading it failed');
  }
}

/**
 * Runs `read` until it settles, the time limit passes or the signal fires, whichever is first;
 * `stop` is called in the last two cases so that the read can release what it holds. Its timer
 * and abort listener are gone once this settles.
 */
async function withinLimits(options: FetchBodyOptions | undefined, read: (stop: Promise<void>) => Promise<BodyRead>): Promise<BodyRead> {
  const signal = options?.signal;
  if (signal?.aborted) return unread('the read was aborted');
  const limit = typeof options?.timeoutMs === 'number' && options.timeoutMs >= 0 ? Math.min(options.timeoutMs, 2 ** 31 - 1) : BODY_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<BodyRead>((resolve) => {
    timer = setTimeout(() => resolve(unread(`it did not arrive within ${limit / 1000} s`)), limit);
    onAbort = () => resolve(unread('the read was aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([read(stopped.then(() => undefined)), stopped]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

async function readStream(reader: ReaderLike, stop: Promise<void>): Promise<BodyRead> {
  let stopped = false;
  // Cancelling settles a pending read; a stream whose cancel never settles is not waited for.
  void stop.then(() => {
    stopped = true;
    cancel(reader);
  });
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (stopped) return unread('reading it stopped');
      if (done) break;
      if (!(value instanceof Uint8Array)) return unread('its stream gave something other than bytes');
      const room = MAX_BODY_BYTES - bytes;
      text += decoder.decode(value.byteLength > room ? value.subarray(0, room) : value, { stream: true });
      bytes += value.byteLength;
      if (bytes >= MAX_BODY_BYTES) {
        // Enough for any error body: stop the transfer instead of buffering the rest.
        cancel(reader);
        break;
      }
    }
    return { body: text + decoder.decode(), unread: null };
  } catch {
    cancel(reader);
    return unread('the connection failed while it was read');
  } finally {
    try {
      reader.releaseLock();
    } catch {
      // Already released, or a read is still pending after a cancel that never settled.
    }
  }
}

function cancel(reader: ReaderLike): void {
  try {
    reader.cancel().catch(() => undefined);
  } catch {
    // A hostile reader; nothing more can be done.
  }
}
