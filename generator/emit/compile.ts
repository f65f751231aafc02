/**
 * The runtime's hand-written TypeScript to the package's shared modules: each folder of sources
 * (`generator/runtime`, `generator/executor`) becomes one module (`runtime.js` and `.d.ts`,
 * `executor.js` and `.d.ts`). Each source is transpiled on its own (no program, no type check:
 * tests type-check the package, and the runtime is written for exact isolated declaration emit),
 * then the folder's sources are joined in dependency order with their imports of each other
 * removed: one module loads several times faster than seven, which keeps the package's cold
 * import small. An import of another folder's source becomes an import of that folder's module.
 */
import { header } from './header.js';
import { halveIndent } from './indent.js';
import type { OutputFile, SourceModule } from './output.js';
import type { TsMorph } from './printer.js';

/** Runtime sources as modules of the package: `generator/executor/poll.ts` → `executor/poll.ts`. */
export function runtimeModules(sources: readonly { readonly path: string; readonly text: string }[]): SourceModule[] {
  return sources.map((m) => ({ path: m.path.split('/').slice(-2).join('/'), text: m.text, from: m.path }));
}

/** An import of a sibling source, as the TypeScript printer writes it (on one line). */
const LOCAL_IMPORT = /^import (?:type )?\{[^}]*\} from '\.\/([\w-]+)\.js';\n/gm;
/** An import of another folder's source: `import { a, type B } from '../runtime/classify.js';`. */
const FOLDER_IMPORT = /^import (type )?\{([^}]*)\} from '\.\.\/([\w-]+)\/[\w-]+\.js';\n/gm;

export function compileRuntime(tsMorph: TsMorph, modules: readonly SourceModule[]): OutputFile[] {
  return byFolder(modules).flatMap(([folder, own]) => compileFolder(tsMorph, folder, own));
}

/** The sources of each folder (`runtime`, `executor`), folders in name order. */
function byFolder(modules: readonly SourceModule[]): [string, SourceModule[]][] {
  const folders = [...new Set(modules.map((m) => m.path.split('/')[0] as string))].sort();
  return folders.map((folder) => [folder, modules.filter((m) => m.path.startsWith(`${folder}/`))]);
}

function compileFolder(tsMorph: TsMorph, folder: string, modules: readonly SourceModule[]): OutputFile[] {
  const { ts } = tsMorph;
  const compilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    removeComments: false,
    newLine: ts.NewLineKind.LineFeed,
    verbatimModuleSyntax: true,
  };
  const declarationOptions = { ...compilerOptions, declaration: true, isolatedDeclarations: true };
  const compiled = modules.map((module) => {
    const js = ts.transpileModule(module.text, { compilerOptions, fileName: module.path, reportDiagnostics: true });
    const dts = ts.transpileDeclaration(module.text, { compilerOptions: declarationOptions, fileName: module.path, reportDiagnostics: true });
    const problems = [...(js.diagnostics ?? []), ...(dts.diagnostics ?? [])];
    if (problems.length > 0) {
      const text = problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ');
      throw new Error(`internal error: ${module.path} does not compile in isolation: ${text}`);
    }
    return { module, js: halveIndent(js.outputText), dts: halveIndent(dts.outputText) };
  });

  for (const { module } of compiled) {
    // Joined modules share one scope: a sibling's name imported under another would not exist.
    const renamed = [...module.text.matchAll(/^import (?:type )?\{([^}]*)\} from '\.\/[\w-]+\.js';$/gm)].find((m) => /\bas\b/.test(m[1] as string));
    if (renamed) throw new Error(`internal error: ${module.path} renames an import of a sibling module (${renamed[0]}); import it under its own name`);
  }
  const ordered = dependencyOrder(compiled.map((c) => ({ ...c, name: baseName(c.module.path), imports: localImports(c.module.text) })));
  const from = `${ordered.map((c) => c.module.from).join(', ')}`;
  const join = (pick: (c: (typeof ordered)[number]) => string): string => {
    const outside = new Map<string, Set<string>>();
    const sections = ordered
      .map((c) => ({
        from: c.module.from,
        text: pick(c)
          .replace(LOCAL_IMPORT, '')
          .replace(FOLDER_IMPORT, (_line, type: string | undefined, names: string, other: string) => {
            const key = `${type ? 'type ' : ''}${other}`;
            const set = outside.get(key) ?? new Set<string>();
            for (const name of names.split(',').map((n) => n.trim()).filter((n) => n !== '')) set.add(name);
            outside.set(key, set);
            return '';
          })
          .trim(),
      }))
      .filter((s) => s.text !== '' && s.text !== 'export {};');
    assertUniqueNames(sections.map((s) => s.text));
    const imports = [...outside]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, names]) => `import ${key.startsWith('type ') ? 'type ' : ''}{ ${[...names].sort().join(', ')} } from './${key.replace(/^type /, '')}.js';`);
    return [...(imports.length > 0 ? [imports.join('\n')] : []), ...sections.map((s) => `// ${s.from}\n${s.text}`)].join('\n\n');
  };
  return [
    { path: `${folder}.js`, content: `${header(from)}\n${join((c) => c.js)}\n` },
    { path: `${folder}.d.ts`, content: `${header(from, 'dts')}\n${join((c) => c.dts)}\n` },
  ];
}

/**
 * The runtime as TypeScript sources, for the `typescript` output form: each source as written,
 * in its folder (`runtime/classify.ts`), and a module per folder (`runtime.ts`) that exports what
 * they export, so the generated modules import the same names from the same place in either form.
 */
export function runtimeSourceFiles(modules: readonly SourceModule[]): OutputFile[] {
  return [
    ...modules.map((m) => ({ path: m.path, content: `${header(m.from, 'ts')}\n${m.text}` })),
    ...byFolder(modules).map(([folder, own]) => {
      const lines = own.map((m) => `export * from './${m.path.replace(/\.ts$/, '.js')}';`);
      return { path: `${folder}.ts`, content: `${header(own.map((m) => m.from).join(', '), 'ts')}\n${lines.join('\n')}\n` };
    }),
  ];
}

function baseName(path: string): string {
  return (path.split('/').pop() as string).replace(/\.ts$/, '');
}

function localImports(source: string): string[] {
  return [...source.matchAll(/from '\.\/([\w-]+)\.js'/g)].map((m) => m[1] as string);
}

/** Modules after the modules they import; ties in name order, so output is stable. */
function dependencyOrder<T extends { name: string; imports: string[] }>(items: readonly T[]): T[] {
  const byName = new Map(items.map((i) => [i.name, i]));
  const done = new Set<string>();
  const out: T[] = [];
  const visit = (item: T, path: string[]): void => {
    if (done.has(item.name)) return;
    if (path.includes(item.name)) throw new Error(`internal error: runtime modules import each other in a cycle: ${[...path, item.name].join(' → ')}`);
    for (const name of [...item.imports].sort()) {
      const dependency = byName.get(name);
      if (dependency) visit(dependency, [...path, item.name]);
    }
    done.add(item.name);
    out.push(item);
  };
  for (const item of [...items].sort((a, b) => (a.name < b.name ? -1 : 1))) visit(item, []);
  return out;
}

/** Joined modules share one scope, so two top-level declarations of one name would clash. */
function assertUniqueNames(sections: readonly string[]): void {
  const seen = new Set<string>();
  for (const text of sections) {
    for (const [, name] of text.matchAll(/^(?:export )?(?:declare )?(?:const|let|function|class|interface|type) (\w+)/gm)) {
      if (seen.has(name as string)) throw new Error(`internal error: two runtime modules declare "${name}"`);
      seen.add(name as string);
    }
  }
}
