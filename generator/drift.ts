/** How an output folder differs from the files that should be there, by path inside it. */
export interface Drift {
  /** Files the spec produces that the folder lacks. */
  readonly added: readonly string[];
  /** Files whose content differs. */
  readonly changed: readonly string[];
  /** Files the folder has that the spec no longer produces. */
  readonly removed: readonly string[];
}
