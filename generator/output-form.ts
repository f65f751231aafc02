/**
 * What the output folder holds. A package is consumed as a dependency (a workspace or `file:`
 * package); TypeScript sources are generated into an app's `src/` and built by its `tsc` or
 * bundler like its own code, as protoc-gen-es's `target=ts` and Prisma's client are.
 */
export type OutputForm = 'package' | 'typescript';
export const OUTPUT_FORMS: readonly OutputForm[] = ['package', 'typescript'];
