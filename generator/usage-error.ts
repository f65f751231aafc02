/**
 * A problem with what the caller asked for rather than with the spec: a folder that cannot be
 * read, an output folder errspec may not replace. The CLI exits 2 on it; the API throws it.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
