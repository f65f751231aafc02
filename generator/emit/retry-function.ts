/** `retryDelayMs`, as the root and every provider's entry declare it over their own `tables`. */
import type { Declaration } from './module.js';

export function retryDelayMsFunction(docs: string): Declaration {
  return {
    kind: 'function',
    name: 'retryDelayMs',
    parameters: [
      { name: 'error', type: 'ClassifiedError' },
      { name: 'attempt', type: 'number' },
      { name: 'options', type: 'RetryOptions', optional: true },
    ],
    returnType: 'number | null',
    body: 'return retryDelayMsWith(taxonomy, tables, error, attempt, options);',
    docs,
  };
}
