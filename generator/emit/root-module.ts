/** Emits `index.ts`, the package root: the contract's four functions over every provider. */
import type { StatementStructures } from 'ts-morph';
import type { Model } from '../model.js';
import { quote } from './literal.js';
import { tableName } from './names.js';
import type { SourceModule } from './output.js';
import type { Printer } from './printer.js';
import { exportFrom, importFrom } from './structures.js';

export function emitRootModule(model: Model, printer: Printer): SourceModule {
  const { tsMorph } = printer;
  const { StructureKind, VariableDeclarationKind } = tsMorph;
  const ids = model.providers.map((p) => p.id);
  const fn = (
    name: string,
    docs: string,
    parameters: { name: string; type: string; hasQuestionToken?: boolean }[],
    returnType: string,
    body: string,
  ): StatementStructures => ({
    kind: StructureKind.Function,
    isExported: true,
    name,
    docs: [docs],
    parameters,
    returnType,
    statements: [body],
  });

  const statements: (string | StatementStructures)[] = [
    importFrom(tsMorph, './runtime/classify.js', ['classifyHttp', { name: 'classifyTask', alias: 'classifyTaskWith' }]),
    importFrom(tsMorph, './runtime/exception.js', [{ name: 'classifyException', alias: 'classifyExceptionWith' }]),
    importFrom(tsMorph, './runtime/retry.js', [{ name: 'retryDelayMs', alias: 'retryDelayMsWith' }]),
    importFrom(tsMorph, './runtime/types.js', [{ name: 'HttpResponseLike', alias: 'HttpResponse' }, 'ProviderTable', 'RetryOptions'], true),
    importFrom(tsMorph, './taxonomy.js', ['taxonomy', ...['ClassifiedError', 'ProviderId', 'SpecVocabulary'].map((name) => ({ name, isTypeOnly: true }))]),
    ...model.providers.map((p) => importFrom(tsMorph, `./${p.id}/table.js`, [tableName(p.id)])),
    exportFrom(tsMorph, './taxonomy.js', ['Action', 'Category', 'ClassifiedError', 'Fault', 'ProviderId'], true),
    exportFrom(tsMorph, './runtime/types.js', [{ name: 'HttpResponseLike', alias: 'HttpResponse' }, 'HeadersLike', 'RetryOptions', 'RetryRule'], true),
    exportFrom(tsMorph, './taxonomy.js', ['actionInfo', 'categoryInfo', 'providerIds']),
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      docs: ['A Map, so that no provider id can reach the prototype chain.'],
      declarations: [{
        name: 'tables',
        type: 'ReadonlyMap<ProviderId, ProviderTable<SpecVocabulary>>',
        initializer: `new Map([\n${ids.map((id) => `  [${quote(id)}, ${tableName(id)}],`).join('\n')}\n])`,
      }],
    },
    fn(
      'classifyResponse',
      "Classifies a failed HTTP response. A known identifier in the body decides; otherwise the provider's status table, then the canonical status fallback.",
      [{ name: 'provider', type: 'ProviderId' }, { name: 'response', type: 'HttpResponse' }],
      'ClassifiedError',
      'return classifyHttp(taxonomy, tables.get(provider), response);',
    ),
    fn(
      'classifyTask',
      "Classifies the parsed body of a provider's task-status endpoint; null unless the task has failed.",
      [{ name: 'provider', type: 'ProviderId' }, { name: 'task', type: 'unknown' }],
      'ClassifiedError | null',
      'return classifyTaskWith(taxonomy, tables.get(provider), task);',
    ),
    fn(
      'classifyException',
      'Classifies a thrown value (fetch, undici or Node network error, AbortError, TimeoutError, anything else). Always source "network".',
      [{ name: 'error', type: 'unknown' }, { name: 'provider', type: 'ProviderId', hasQuestionToken: true }],
      'ClassifiedError',
      'return classifyExceptionWith(taxonomy, error, provider !== undefined && tables.has(provider) ? provider : null);',
    ),
    fn(
      'retryDelayMs',
      'The delay before retry number `attempt` (1 for the first retry), or null when the error is not retryable or the attempts are used up.',
      [{ name: 'error', type: 'ClassifiedError' }, { name: 'attempt', type: 'number' }, { name: 'options', type: 'RetryOptions', hasQuestionToken: true }],
      'number | null',
      'return retryDelayMsWith(taxonomy, tables, error, attempt, options);',
    ),
  ];
  return { path: 'index.ts', text: printer.print('index.ts', statements), from: specFiles(model) };
}

/** The taxonomy and every provider file: the root depends on all of them. */
export function specFiles(model: Model): string {
  return [model.taxonomy.file, ...model.providers.map((p) => p.file)].join(', ');
}
