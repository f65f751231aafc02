/**
 * What a browser app ships of the generated package: `source` bundled with esbuild for the
 * browser, minified, as an app would build it; with the Node built-ins the bundle would need.
 */
import { build } from 'esbuild';

export async function browserBundle(source: string, resolveDir: string): Promise<{ text: string; nodeImports: string[] }> {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  const nodeImports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path).filter((path) => path.startsWith('node:')));
  return { text: result.outputFiles[0]!.text, nodeImports };
}
