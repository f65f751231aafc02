/**
 * The executor's functions as the root and each provider's entry export them: over every provider
 * (taking its id first), or bound to one provider, with pollTask and runTask typed by its task
 * body. The executor is a module of its own (`executor.js`), loaded on the first call that needs
 * it: importing the package for its classifiers does not load it. taskState, ProviderError and
 * isProviderError come with the classifiers.
 */
import type { ProviderModel } from '../model.js';
import { commentText, quote } from './literal.js';
import type { Declaration } from './module.js';

/**
 * `provider`: the entry's provider, or null for the root; `dir`: the package root as the entry
 * sees it (`.` or `..`). The imports go with the entry's other imports, the rest after its
 * classifiers.
 */
export function executorDeclarations(provider: ProviderModel | null, dir: string): { imports: Declaration[]; declarations: Declaration[] } {
  const value = ['ts', 'src', 'js'] as const;
  const of = provider ? ` of ${commentText(provider.name)}` : '';
  const to = provider ? ` to ${commentText(provider.name)}` : '';
  const providerParameter = provider ? [] : [{ name: 'provider', type: 'ProviderId' }];
  const id = provider ? quote(provider.id) : 'provider';
  // A bound pollTask or runTask resolves with the provider's task body, which the TypeScript asserts.
  // A task whose result is fetched apart resolves with that result, which no envelope describes.
  const task = provider?.task && provider.task.result === null ? provider.task.typeName : null;
  const lazily = (fn: string, args: string, resolves?: string): { body: string; jsBody: string } => {
    const invocation = `withExecutor((executor) => executor.${fn}(context, ${id}, ${args}))`;
    return { body: `return ${invocation}${resolves ? ` as ${resolves}` : ''};`, jsBody: `return ${invocation};` };
  };
  const resolved = task ? `Promise<${task}>` : 'Promise<unknown>';
  // A key proves nothing to a provider that honours none: its entry's options do not take one.
  const keyless = provider !== null && provider.idempotencyHeader === null;
  const optionsOf = (type: string): string => (keyless ? `Omit<${type}, 'idempotencyKey'>` : type);
  const imports: Declaration[] = [
    {
      kind: 'import',
      from: `${dir}/runtime.js`,
      names: [
        { name: 'createLimiter', alias: 'createLimiterWith', in: value },
        { name: 'lazy', in: value },
        { name: 'taskState', alias: 'taskStateWith', in: value },
        { name: 'Limiter', type: true },
        { name: 'ProviderError', alias: 'ProviderErrorOf', type: true, in: ['ts', 'dts'] },
        // The TypeScript output form defines the provider's ProviderError from the runtime's.
        { name: 'ProviderError', alias: 'ProviderErrorOf', in: ['src'] },
        { name: 'isProviderError', alias: 'isProviderErrorOf', in: ['src'] },
      ],
    },
    { kind: 'import', from: `${dir}/taxonomy.js`, names: [{ name: 'network', in: value }, { name: 'LimiterOptions', type: true }] },
    { kind: 'reexport', from: `${dir}/taxonomy.js`, names: ['LimiterOptions'], type: true },
    { kind: 'reexport', from: `${dir}/runtime.js`, names: ['Limiter', 'LimiterStore', 'RedisLike', 'RedisStoreOptions', 'RetryBudgetOptions'], type: true },
    { kind: 'reexport', from: `${dir}/runtime.js`, names: ['redisStore'] },
    { kind: 'import', from: `${dir}/executor.js`, names: [{ name: 'ExecutorContext', in: ['ts', 'src'] }, 'TaskRequest'], type: true },
    { kind: 'reexport', in: ['js'], from: `${dir}/runtime.js`, names: ['isProviderError', 'ProviderError'] },
  ];
  const declarations: Declaration[] = [
    { kind: 'const', exported: false, name: 'context', type: 'ExecutorContext<SpecVocabulary>', value: '{ taxonomy, network, tables }', docs: 'What the executor reads of the spec.' },
    {
      kind: 'const',
      exported: false,
      name: 'withExecutor',
      type: `<R>(use: (executor: typeof import('${dir}/executor.js')) => Promise<R>) => Promise<R>`,
      // Pure: a bundle that calls no executor function drops the executor with it.
      value: `/* @__PURE__ */ lazy(() => import('${dir}/executor.js'))`,
      docs: 'The executor, loaded on the first call that needs it.',
    },
    {
      kind: 'raw',
      in: ['ts', 'dts'],
      text: [
        '/** How the executor rejects (but for a usage error, a TypeError): the last failure, classified, and how the call went. */',
        'export declare const ProviderError: typeof ProviderErrorOf<SpecVocabulary>;',
        'export type ProviderError = ProviderErrorOf<SpecVocabulary>;',
        '',
        '/** Whether a value is a ProviderError, from any copy of the package or any realm. */',
        'export declare function isProviderError(value: unknown): value is ProviderError;',
      ].join('\n'),
    },
    {
      kind: 'raw',
      in: ['src'],
      text: [
        '/** How the executor rejects (but for a usage error, a TypeError): the last failure, classified, and how the call went. */',
        'export const ProviderError: typeof ProviderErrorOf<SpecVocabulary> = ProviderErrorOf;',
        'export type ProviderError = ProviderErrorOf<SpecVocabulary>;',
        '',
        '/** Whether a value is a ProviderError, from any copy of the package or any realm. */',
        'export const isProviderError = isProviderErrorOf as (value: unknown) => value is ProviderError;',
      ].join('\n'),
    },
    {
      kind: 'function',
      name: 'fetchWithRetry',
      parameters: [...providerParameter, { name: 'input', type: 'string | URL | Request' }, { name: 'init', type: 'RequestInit', optional: true }, { name: 'options', type: optionsOf('RetryCallOptions'), optional: true }],
      returnType: 'Promise<Response>',
      ...lazily('fetchWithRetry', 'input, init, options'),
      docs: `Sends a request${to}, retrying as the spec says and never resending one that could be billed twice; resolves with the first ok Response, unread.`,
    },
    {
      kind: 'function',
      name: 'pollTask',
      parameters: [...providerParameter, { name: 'status', type: 'string | URL | Request' }, { name: 'options', type: optionsOf('PollOptions'), optional: true }],
      returnType: resolved,
      ...lazily('pollTask', 'status, options', task ? resolved : undefined),
      docs: `Polls a task${of} at the spec's cadence until it ends; resolves with the completed task's body.`,
    },
    {
      kind: 'function',
      name: 'runTask',
      parameters: [...providerParameter, { name: 'request', type: 'TaskRequest' }, { name: 'options', type: optionsOf('RunTaskOptions'), optional: true }],
      returnType: resolved,
      ...lazily('runTask', 'request, options', task ? resolved : undefined),
      docs: `Submits a task${of} and polls it; a task that fails in a way worth retrying is submitted again, as a new one. Resolves with the completed task's body.`,
    },
    {
      kind: 'function',
      name: 'createLimiter',
      parameters: [{ name: 'options', type: 'LimiterOptions', optional: true }],
      returnType: 'Limiter',
      body: 'return createLimiterWith(tables, options);',
      docs: provider
        ? `Limits for calls${to}, shared by every call given it (\`{ limiter }\`): its permits (the spec's documented concurrency unless overridden), adaptive, and a retry budget; in this process, or across processes with redisStore(client).`
        : "Limits shared by every call given it (`{ limiter }`): permits per provider (the spec's documented concurrency unless overridden), adaptive, and a retry budget; in this process, or across processes with redisStore(client).",
    },
    {
      kind: 'function',
      name: 'taskState',
      parameters: [...providerParameter, { name: 'body', type: 'unknown' }],
      returnType: 'TaskState | null',
      body: `return taskStateWith(taxonomy, tables, ${id}, body);`,
      docs: `The state of a task${of} from its status body (parsed, or JSON text); null when it is not a task body.`,
    },
  ];
  return { imports, declarations };
}
