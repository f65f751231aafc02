/**
 * The module `<provider>/index`, the provider's subpath: code unions, envelope types, validators,
 * and every function of the root bound to this provider, loading no other provider's code.
 */
import { placeText } from '../field-path.js';
import { bodyLimit, bodyTime } from './body-limits.js';
import type { LayerModel, ProviderModel } from '../model.js';
import { commentText, printLiteral, quote } from './literal.js';
import type { Declaration, ModuleSpec } from './module.js';
import { retryDelayMsFunction } from './retry-function.js';
import { classifiedErrorName, codeListName, codeUnionName, envelopeCheckName, guardName, responseTableName, tableName, validatorName } from './names.js';
import { executorDeclarations } from './executor-functions.js';
import { validatorExports } from './validators.js';
import { unionType } from './printer.js';

export function providerEntryModule(provider: ProviderModel): ModuleSpec {
  const layers = [provider.http, provider.task].filter((l): l is LayerModel => l !== null);
  const table = tableName(provider.id);
  const responseTable = responseTableName(provider.id);
  const typeNames = layers.map((l) => l.typeName);
  const name = commentText(provider.name);
  const errorTypeName = classifiedErrorName(provider.id);

  const codeDeclarations = layers.flatMap((layer): Declaration[] => {
    const union = codeUnionName(provider.id, layer.layer);
    const where = commentText(layer.codePlaces.map(placeText).join(' or '));
    return [
      layer.codesFrom === 'http'
        ? { kind: 'type', name: union, type: codeUnionName(provider.id, 'http'), docs: `The declared codes of failed tasks (${where}): the same as the HTTP layer's.` }
        : { kind: 'type', name: union, type: unionType(layer.codes.map((c) => codeType(c.code))), docs: `The declared codes of the ${layer.layer} layer (${where}).` },
      {
        kind: 'const',
        exported: true,
        name: codeListName(provider.id, layer.layer),
        type: `readonly ${union}[]`,
        value: printLiteral(layer.codes.map((c) => c.code)),
        docs: `Every declared code of the ${layer.layer} layer, in spec order.`,
      },
    ];
  });
  const httpCodes = codeUnionName(provider.id, 'http');
  const taskCodes = provider.task ? codeUnionName(provider.id, 'task') : 'never';
  const unions = layers.filter((l) => l.codesFrom === null).map((l) => codeUnionName(provider.id, l.layer));

  // A union on `known`: a known code is one of `Code`, so that a misspelt or renamed code is a
  // compile error where the caller tests for it; an unknown one is any string (or none).
  const errorType: Declaration = {
    kind: 'type',
    name: errorTypeName,
    typeParameters: [`Code extends string = ${unions.join(' | ')}`],
    type: `ClassifiedError & { provider: ${quote(provider.id)} } & ({ known: true; code: Code } | { known: false; code: string | null })`,
    docs: `A failure of ${name}, classified. When \`known\`, its code is one of the declared codes (\`Code\`).`,
  };

  const guards = layers.map((layer): Declaration => ({
    kind: 'function',
    name: guardName(layer.typeName),
    parameters: [{ name: 'data', type: 'unknown' }],
    returnType: `data is ${layer.typeName}`,
    body: `return ${validatorName(layer.typeName)}(data);`,
    docs: `Whether a parsed body matches the declared ${layer.typeName} envelope. Never throws.`,
  }));

  /** `return call;`, asserting the narrowed type in the TypeScript. */
  const returning = (call: string, type: string): Pick<Extract<Declaration, { kind: 'function' }>, 'body' | 'jsBody'> => ({
    body: `return ${call} as ${type};`,
    jsBody: `return ${call};`,
  });
  const functions: Declaration[] = [
    {
      kind: 'function',
      name: 'classifyResponse',
      parameters: [{ name: 'response', type: 'HttpResponse' }],
      returnType: `${errorTypeName}<${httpCodes}>`,
      ...returning(`classifyHttp(taxonomy, ${responseTable}, response)`, `${errorTypeName}<${httpCodes}>`),
      docs: `Classifies a failed HTTP response from ${name}, as the root's classifyResponse(${quote(provider.id)}, response) does.`,
    },
    {
      kind: 'function',
      name: 'classifyFetchResponse',
      parameters: [{ name: 'response', type: 'Response' }, { name: 'options', type: 'FetchBodyOptions', optional: true }],
      returnType: `Promise<${errorTypeName}<${httpCodes}>>`,
      ...returning(`classifyFetchResponseWith(taxonomy, ${responseTable}, response, options)`, `Promise<${errorTypeName}<${httpCodes}>>`),
      docs: `Classifies a failed fetch Response from ${name}, reading at most ${bodyLimit} of its body within ${bodyTime} (unless options say otherwise). Never rejects.`,
    },
    {
      kind: 'function',
      name: 'classifySuccess',
      parameters: [{ name: 'response', type: 'HttpResponse' }],
      returnType: `${errorTypeName}<${httpCodes}> | null`,
      ...returning(`classifySuccessWith(taxonomy, ${responseTable}, response)`, `${errorTypeName}<${httpCodes}> | null`),
      docs: `Classifies a response from ${name} that looks like a success: null when it is one; its failure when its content says it failed, or its status is not 2xx.`,
    },
    {
      kind: 'function',
      name: 'classifyTask',
      parameters: [{ name: 'task', type: 'unknown' }],
      returnType: `${errorTypeName}<${taskCodes}> | null`,
      ...returning(`classifyTaskWith(taxonomy, ${table}, task)`, `${errorTypeName}<${taskCodes}> | null`),
      docs: provider.task
        ? `Classifies the body of a task-status response from ${name}; null unless the task has failed.`
        : `Always null: the spec declares no task layer for ${name}.`,
    },
    {
      kind: 'function',
      name: 'classifyFetchTask',
      parameters: [{ name: 'response', type: 'Response' }, { name: 'options', type: 'FetchBodyOptions', optional: true }],
      returnType: `Promise<${errorTypeName}<${httpCodes} | ${taskCodes}> | null>`,
      ...returning(`classifyFetchTaskWith(taxonomy, ${table}, response, options)`, `Promise<${errorTypeName}<${httpCodes} | ${taskCodes}> | null>`),
      docs: provider.task
        ? `Reads the fetch Response of a task-status request to ${name} (at most ${bodyLimit}, within ${bodyTime}) and classifies it: a failed request as classifyResponse does, a task body as classifyTask does. Never rejects.`
        : `Classifies a failed fetch Response as classifyResponse does; otherwise null: the spec declares no task layer for ${name}.`,
    },
    {
      kind: 'function',
      name: 'classifyException',
      parameters: [{ name: 'error', type: 'unknown' }],
      returnType: `${errorTypeName}<never>`,
      ...returning(`classifyExceptionWith(taxonomy, network, error, ${quote(provider.id)})`, `${errorTypeName}<never>`),
      docs: `Classifies a value thrown while calling ${name} (network error, AbortError, TimeoutError, anything else). Always source "network".`,
    },
    retryDelayMsFunction(`The delay before retry number \`attempt\` (an integer from 1) after a failure of ${name}, or null: do not retry. Errors of other providers get their category's rule.`),
  ];

  const value = ['ts', 'src', 'js'] as const;
  const executor = executorDeclarations(provider, '..');
  return {
    path: `${provider.id}/index`,
    from: provider.file,
    declarations: [
      {
        kind: 'import',
        from: '../runtime.js',
        names: [
          { name: 'classifyException', alias: 'classifyExceptionWith', in: value },
          { name: 'classifyFetchResponse', alias: 'classifyFetchResponseWith', in: value },
          { name: 'classifyFetchTask', alias: 'classifyFetchTaskWith', in: value },
          { name: 'classifyHttp', in: value },
          { name: 'classifySuccess', alias: 'classifySuccessWith', in: value },
          { name: 'classifyTask', alias: 'classifyTaskWith', in: value },
          { name: 'retryDelayMs', alias: 'retryDelayMsWith', in: value },
          { name: 'totalValidator', in: value },
          { name: 'EnvelopeValidator', type: true },
          { name: 'FetchBodyOptions', type: true },
          { name: 'HttpResponseLike', alias: 'HttpResponse', type: true },
          { name: 'ProviderTable', type: true, in: ['ts', 'src'] },
          { name: 'RetryOptions', type: true },
        ],
      },
      {
        kind: 'import',
        from: '../taxonomy.js',
        names: [
          { name: 'network', in: value },
          { name: 'taxonomy', in: value },
          { name: 'ClassifiedError', type: true },
          { name: 'PollOptions', type: true },
          { name: 'ProviderId', type: true, in: ['ts', 'src'] },
          { name: 'RetryCallOptions', type: true },
          { name: 'RunTaskOptions', type: true },
          { name: 'SpecVocabulary', type: true, in: ['ts', 'src', 'dts'] },
          { name: 'TaskState', type: true },
        ],
      },
      ...executor.imports,
      { kind: 'import', from: './types.js', names: typeNames, type: true },
      { kind: 'import', from: './table.js', names: [responseTable, table], in: value },
      { kind: 'import', from: './validators.js', names: typeNames.map(envelopeCheckName), in: value },
      { kind: 'reexport', from: '../taxonomy.js', names: ['Action', 'Category', 'ClassifiedError', 'Fault', 'PollOptions', 'ProviderId', 'RetryCallOptions', 'RunTaskOptions', 'TaskState'], type: true },
      { kind: 'reexport', from: '../executor.js', names: ['RetryEvent', 'Sleep', 'TaskRequest'], type: true },
      { kind: 'reexport', from: '../runtime.js', names: ['GiveUp'], type: true },
      { kind: 'reexport', from: '../runtime.js', names: ['FetchBodyOptions', { name: 'HttpResponseLike', alias: 'HttpResponse' }, 'HeadersLike', 'RetryOptions', 'RetryRule'], type: true },
      { kind: 'reexport', from: '../taxonomy.js', names: ['actionInfo', 'categoryInfo'] },
      { kind: 'reexport', from: './types.js', names: typeNames, type: true },
      { kind: 'reexport', from: './table.js', names: [table] },
      {
        kind: 'const',
        exported: false,
        name: 'tables',
        type: 'ReadonlyMap<ProviderId, ProviderTable<SpecVocabulary>>',
        value: `new Map([[${quote(provider.id)}, ${table}]])`,
        docs: `${name} alone, for retryDelayMs.`,
      },
      errorType,
      ...codeDeclarations,
      ...validatorExports(provider),
      ...guards,
      ...functions,
      ...executor.declarations,
    ],
  };
}

/** A declared code as a type: itself, or for a prefix (`SAFETY.INPUT.*`) every code it takes (`` `SAFETY.INPUT.${string}` ``). */
function codeType(code: string): string {
  return code.endsWith('*') ? `\`${code.slice(0, -1).replace(/[\\`$]/g, '\\$&')}\${string}\`` : quote(code);
}
