/**
 * TypeScript modules to `.js` and `.d.ts`, one file at a time: no program and no type check (the
 * tests type-check the package), so modules are written for exact isolated declaration emit. The
 * TypeScript printer indents by four; the output is re-indented by two like the rest of the
 * package, and every file gets the generated-file header (after compilation, since a comment on
 * an elided `import type` would vanish with it).
 */
import { header } from './header.js';
import type { OutputFile, SourceModule } from './output.js';
import type { TsMorph } from './printer.js';

export interface Compiler {
  compile(modules: readonly SourceModule[]): OutputFile[];
  /** Formats JavaScript from elsewhere (ajv's standalone code) the same way. */
  format(path: string, text: string): string;
}

export function createCompiler(tsMorph: TsMorph): Compiler {
  const { ts } = tsMorph;
  const compilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    removeComments: false,
    newLine: ts.NewLineKind.LineFeed,
    verbatimModuleSyntax: true,
  };
  const declarationOptions = { ...compilerOptions, declaration: true, isolatedDeclarations: true };
  const project = new tsMorph.Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  const formatSettings = { indentSize: 2, tabSize: 2, convertTabsToSpaces: true, semicolons: ts.SemicolonPreference.Insert };

  const format = (path: string, text: string): string => {
    const file = project.createSourceFile(path, text, { overwrite: true });
    file.formatText(formatSettings);
    const formatted = file.getFullText();
    project.removeSourceFile(file);
    return formatted.endsWith('\n') ? formatted : formatted + '\n';
  };

  const compile = (modules: readonly SourceModule[]): OutputFile[] =>
    modules.flatMap((module) => {
      const js = ts.transpileModule(module.text, { compilerOptions, fileName: module.path, reportDiagnostics: true });
      const dts = ts.transpileDeclaration(module.text, { compilerOptions: declarationOptions, fileName: module.path, reportDiagnostics: true });
      const problems = [...(js.diagnostics ?? []), ...(dts.diagnostics ?? [])];
      if (problems.length > 0) {
        const text = problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ');
        throw new Error(`internal error: ${module.path} does not compile in isolation: ${text}`);
      }
      const base = module.path.replace(/\.ts$/, '');
      return [
        { path: `${base}.js`, content: `${header(module.from)}\n${format(`${base}.js`, js.outputText)}` },
        { path: `${base}.d.ts`, content: `${header(module.from)}\n${format(`${base}.d.ts`, dts.outputText)}` },
      ];
    });

  return { compile, format };
}
