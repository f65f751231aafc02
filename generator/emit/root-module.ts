/** The module `index`, the package root: the contract's functions over every provider. */
import type { Model } from '../model.js';
import { bodyLimit, bodyTime } from './body-limits.js';
import { quote } from './literal.js';
import type { ModuleSpec } from './module.js';
import { executorDeclarations } from './executor-functions.js';
import { retryDelayMsFunction } from './retry-function.js';
import { tableName } from './names.js';

export function rootModule(model: Model): ModuleSpec {
  const value = ['ts', 'src', 'js'] as const;
  const executor = executorDeclarations(null, '.');
  return {
    path: 'index',
    from: specFiles(model),
    declarations: [
      {
        kind: 'import',
        from: './runtime.js',
        names: [
          { name: 'classifyException', alias: 'classifyExceptionWith', in: value },
          { name: 'classifyFetchResponse', alias: 'classifyFetchResponseWith', in: value },
          { name: 'classifyFetchTask', alias: 'classifyFetchTaskWith', in: value },
          { name: 'classifyHttp', in: value },
          { name: 'classifySuccess', alias: 'classifySuccessWith', in: value },
          { name: 'classifyTask', alias: 'classifyTaskWith', in: value },
          { name: 'retryDelayMs', alias: 'retryDelayMsWith', in: value },
          { name: 'UNKNOWN_PROVIDER', in: value },
          { name: 'FetchBodyOptions', type: true },
          { name: 'HttpResponseLike', alias: 'HttpResponse', type: true },
          { name: 'ProviderTable', type: true, in: ['ts', 'src'] },
          { name: 'RetryOptions', type: true },
        ],
      },
      {
        kind: 'import',
        from: './taxonomy.js',
        names: [
          { name: 'network', in: value },
          { name: 'taxonomy', in: value },
          { name: 'ClassifiedError', type: true },
          { name: 'PollOptions', type: true },
          { name: 'ProviderId', type: true },
          { name: 'RetryCallOptions', type: true },
          { name: 'RunTaskOptions', type: true },
          { name: 'SpecVocabulary', type: true, in: ['ts', 'src', 'dts'] },
          { name: 'TaskState', type: true },
        ],
      },
      ...executor.imports,
      ...model.providers.map((p) => ({ kind: 'import' as const, from: `./${p.id}/table.js`, names: [tableName(p.id)], in: value })),
      { kind: 'reexport', from: './taxonomy.js', names: ['Action', 'Category', 'ClassifiedError', 'Fault', 'PollOptions', 'ProviderId', 'RetryCallOptions', 'RunTaskOptions', 'TaskState'], type: true },
      { kind: 'reexport', from: './executor.js', names: ['RetryEvent', 'Sleep', 'TaskRequest'], type: true },
      { kind: 'reexport', from: './runtime.js', names: ['GiveUp'], type: true },
      { kind: 'reexport', from: './runtime.js', names: ['FetchBodyOptions', { name: 'HttpResponseLike', alias: 'HttpResponse' }, 'HeadersLike', 'RetryOptions', 'RetryRule'], type: true },
      { kind: 'reexport', from: './taxonomy.js', names: ['actionInfo', 'categoryInfo', 'providerIds'] },
      {
        kind: 'const',
        exported: false,
        name: 'tables',
        type: 'ReadonlyMap<ProviderId, ProviderTable<SpecVocabulary>>',
        value: `new Map([\n${model.providers.map((p) => `  [${quote(p.id)}, ${tableName(p.id)}],`).join('\n')}\n])`,
        docs: 'A Map, so that no provider id can reach the prototype chain.',
      },
      {
        kind: 'function',
        name: 'classifyResponse',
        parameters: [{ name: 'provider', type: 'ProviderId' }, { name: 'response', type: 'HttpResponse' }],
        returnType: 'ClassifiedError',
        body: 'return classifyHttp(taxonomy, tables.get(provider) ?? UNKNOWN_PROVIDER, response);',
        docs: "Classifies a failed HTTP response. A known identifier in the body decides; otherwise the provider's status table, then the canonical status fallback.",
      },
      {
        kind: 'function',
        name: 'classifyFetchResponse',
        parameters: [{ name: 'provider', type: 'ProviderId' }, { name: 'response', type: 'Response' }, { name: 'options', type: 'FetchBodyOptions', optional: true }],
        returnType: 'Promise<ClassifiedError>',
        body: 'return classifyFetchResponseWith(taxonomy, tables.get(provider) ?? UNKNOWN_PROVIDER, response, options);',
        docs: `Reads a failed fetch Response's body once (at most ${bodyLimit}, within ${bodyTime} unless options say otherwise) and classifies it, as classifyResponse does. Never rejects.`,
      },
      {
        kind: 'function',
        name: 'classifySuccess',
        parameters: [{ name: 'provider', type: 'ProviderId' }, { name: 'response', type: 'HttpResponse' }],
        returnType: 'ClassifiedError | null',
        body: 'return classifySuccessWith(taxonomy, tables.get(provider) ?? UNKNOWN_PROVIDER, response);',
        docs: "Classifies a response that looks like a success: null when it is one; its failure when its content says it failed (a soft failure of the spec, such as a finish reason saying the output was filtered), or when its status is not 2xx.",
      },
      {
        kind: 'function',
        name: 'classifyTask',
        parameters: [{ name: 'provider', type: 'ProviderId' }, { name: 'task', type: 'unknown' }],
        returnType: 'ClassifiedError | null',
        body: 'return classifyTaskWith(taxonomy, tables.get(provider) ?? UNKNOWN_PROVIDER, task);',
        docs: "Classifies the parsed body of a provider's task-status endpoint; null unless the task has failed. A fetch Response or a stream is never taken for success: pass its parsed JSON, or use classifyFetchTask.",
      },
      {
        kind: 'function',
        name: 'classifyFetchTask',
        parameters: [{ name: 'provider', type: 'ProviderId' }, { name: 'response', type: 'Response' }, { name: 'options', type: 'FetchBodyOptions', optional: true }],
        returnType: 'Promise<ClassifiedError | null>',
        body: 'return classifyFetchTaskWith(taxonomy, tables.get(provider) ?? UNKNOWN_PROVIDER, response, options);',
        docs: `Reads the fetch Response of a task-status request (at most ${bodyLimit}, within ${bodyTime} unless options say otherwise) and classifies it: a failed request as classifyResponse does, a task body as classifyTask does (null unless the task has failed). Never rejects.`,
      },
      {
        kind: 'function',
        name: 'classifyException',
        parameters: [{ name: 'error', type: 'unknown' }, { name: 'provider', type: 'ProviderId', optional: true }],
        returnType: 'ClassifiedError',
        body: 'return classifyExceptionWith(taxonomy, network, error, provider !== undefined && tables.has(provider) ? provider : null);',
        docs: 'Classifies a thrown value (fetch, undici or Node network error, AbortError, TimeoutError, anything else). Always source "network".',
      },
      retryDelayMsFunction('The delay before retry number `attempt` (an integer from 1), or null: do not retry (not retryable, attempts used up, or a nonsense attempt).'),
      ...executor.declarations,
    ],
  };
}

/** The taxonomy and every provider file: the root depends on all of them. */
function specFiles(model: Model): string {
  return [model.taxonomy.file, ...model.providers.map((p) => p.file)].join(', ');
}
