/**
 * Reading a fetch `Response` body for classification: once, at most MAX_BODY_BYTES, never
 * rejecting. A body that cannot be read (already consumed, or its stream fails) counts as unread.
 */
import { UNREAD } from './body.js';

/** Error bodies are small; past this much the text is cut off, and the stream is cancelled. */
export const MAX_BODY_BYTES: number = 1 << 20;

interface ReaderLike {
  read(): Promise<{ done?: boolean; value?: unknown }>;
  cancel(): Promise<unknown>;
  releaseLock(): void;
}

/**
 * The body's text, null when the response has none, or UNREAD. Reads through the body stream
 * where there is one, so that no more than MAX_BODY_BYTES are ever buffered; a stalled stream
 * ends when the request's own AbortSignal fires. A response-like object whose `body` is already
 * text or a parsed value gives that body as it is.
 */
export async function readBody(response: unknown): Promise<unknown> {
  try {
    const r = response as { body?: unknown; bodyUsed?: unknown; text?: unknown };
    if (r.bodyUsed === true) return UNREAD;
    const body = r.body;
    if (body === null) return null;
    if (typeof body === 'object' && typeof (body as { getReader?: unknown }).getReader === 'function') {
      return await readStream((body as { getReader(): ReaderLike }).getReader());
    }
    if (body === undefined && typeof r.text === 'function') {
      const text: unknown = await (r as { text(): Promise<unknown> }).text();
      return typeof text === 'string' ? text.slice(0, MAX_BODY_BYTES) : UNREAD;
    }
    return body;
  } catch {
    return UNREAD;
  }
}

async function readStream(reader: ReaderLike): Promise<string | typeof UNREAD> {
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) return UNREAD;
      const room = MAX_BODY_BYTES - bytes;
      text += decoder.decode(value.byteLength > room ? value.subarray(0, room) : value, { stream: true });
      bytes += value.byteLength;
      if (bytes >= MAX_BODY_BYTES) {
        // Enough for any error body: stop the transfer instead of buffering the rest.
        await reader.cancel().catch(() => undefined);
        break;
      }
    }
    return text + decoder.decode();
  } catch {
    await reader.cancel().catch(() => undefined);
    return UNREAD;
  } finally {
    try {
      reader.releaseLock();
    } catch {
      // Already released or cancelled.
    }
  }
}
