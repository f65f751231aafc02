/** A file of the generated package: a path relative to the output folder, and its text. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

/** A TypeScript module before compilation to `.js` and `.d.ts`. */
export interface SourceModule {
  readonly path: string;
  readonly text: string;
  /** What the module is generated from, for its header. */
  readonly from: string;
}
