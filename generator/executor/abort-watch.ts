/**
 * One abort listener per signal, however many calls share it. An app often passes the same signal
 * (its shutdown signal) to every call: a listener per call in flight would pile up on it, and Node
 * warns of a leak past ten. Calls register here instead, and leave when they end; the listener
 * goes with the last of them.
 */
interface Watch {
  readonly onAbort: () => void;
  readonly callbacks: Set<() => void>;
}

const watches = new WeakMap<AbortSignal, Watch>();

/** Calls `callback` once `signal` aborts (the caller checks it has not yet); returns the way out. */
export function watchAbort(signal: AbortSignal, callback: () => void): () => void {
  let watch = watches.get(signal);
  if (watch === undefined) {
    const callbacks = new Set<() => void>();
    const onAbort = (): void => {
      watches.delete(signal);
      for (const each of callbacks) each();
    };
    watch = { onAbort, callbacks };
    watches.set(signal, watch);
    signal.addEventListener('abort', onAbort, { once: true });
  }
  const { callbacks, onAbort } = watch;
  callbacks.add(callback);
  return () => {
    callbacks.delete(callback);
    if (callbacks.size === 0 && watches.get(signal) === watch) {
      watches.delete(signal);
      signal.removeEventListener('abort', onAbort);
    }
  };
}
