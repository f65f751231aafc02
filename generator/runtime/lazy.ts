/**
 * A module loaded on its first use, once: the package imports the executor this way. Once it is
 * loaded, a call reaches it directly: no promise of the wrapper's lives as long as the call.
 */
export function lazy<T>(load: () => Promise<T>): <R>(use: (module: T) => Promise<R>) => Promise<R> {
  let loaded: T | undefined;
  let loading: Promise<T> | undefined;
  return (use) => (loaded !== undefined ? use(loaded) : (loading ??= load().then((module) => (loaded = module))).then(use));
}
