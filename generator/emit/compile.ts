/**
 * The runtime's hand-written TypeScript to `.js` and `.d.ts`, one file at a time: no program and
 * no type check (tests type-check the package), so the runtime is written for exact isolated
 * declaration emit. Every file gets the generated-file header.
 */
import { header } from './header.js';
import { halveIndent } from './indent.js';
import type { OutputFile, SourceModule } from './output.js';
import type { TsMorph } from './printer.js';

/** Runtime sources as modules of the package, under `runtime/`. */
export function runtimeModules(sources: readonly { readonly path: string; readonly text: string }[]): SourceModule[] {
  return sources.map((m) => ({ path: `runtime/${m.path.split('/').pop()}`, text: m.text, from: m.path }));
}

export function compileRuntime(tsMorph: TsMorph, modules: readonly SourceModule[]): OutputFile[] {
  const { ts } = tsMorph;
  const compilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    removeComments: false,
    newLine: ts.NewLineKind.LineFeed,
    verbatimModuleSyntax: true,
  };
  const declarationOptions = { ...compilerOptions, declaration: true, isolatedDeclarations: true };
  return modules.flatMap((module) => {
    const js = ts.transpileModule(module.text, { compilerOptions, fileName: module.path, reportDiagnostics: true });
    const dts = ts.transpileDeclaration(module.text, { compilerOptions: declarationOptions, fileName: module.path, reportDiagnostics: true });
    const problems = [...(js.diagnostics ?? []), ...(dts.diagnostics ?? [])];
    if (problems.length > 0) {
      const text = problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ');
      throw new Error(`internal error: ${module.path} does not compile in isolation: ${text}`);
    }
    const base = module.path.replace(/\.ts$/, '');
    const file = (path: string, text: string): OutputFile => ({ path, content: `${header(module.from)}\n${halveIndent(text).trim()}\n` });
    return [file(`${base}.js`, js.outputText), file(`${base}.d.ts`, dts.outputText)];
  });
}
