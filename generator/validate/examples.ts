/**
 * Stage 2c, the spec tests itself: every example runs through the runtime classifier on the
 * model's tables, and must match its envelope and its declared classification. A problem is
 * reported at the field it concerns: the part of the body that breaks the envelope, or the
 * `expect` field the classification contradicts.
 */
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { CompiledEnvelopes } from '../envelopes.js';
import type { LoadedFile } from '../load.js';
import type { ExampleModel, Model } from '../model.js';
import { classifyHttp, classifySuccess, classifyTask, classifyTaskRead } from '../runtime/classify.js';
import type { ClassifiedErrorOf, Vocabulary } from '../runtime/types.js';
import type { ExpectSpec } from '../spec.js';
import { providerTable, taxonomyTable } from '../tables.js';
import { pointerSegments } from './schema.js';

export function checkExamples(model: Model, envelopes: CompiledEnvelopes, files: readonly LoadedFile[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const taxonomy = taxonomyTable(model);
  const byPath = new Map(files.map((f) => [f.path, f]));

  for (const provider of model.providers) {
    const table = providerTable(provider, { conforms: (layer) => (data) => envelopes.validators.get(layer.typeName)?.(data) === true });
    for (const layer of [provider.http, provider.task]) {
      if (!layer) continue;
      const validate = envelopes.validators.get(layer.typeName);
      for (const example of layer.examples) {
        const file = byPath.get(example.at.file);
        const fail = (within: readonly (string | number)[], message: string): void => {
          const at = file ? file.locate([...example.path, ...within]) : example.at;
          diagnostics.push(diagnostic(at, 'example', `example "${example.name}": ${message}`, file?.sourceLine(at) ?? null));
        };
        // A success that is no failure is not an error body: the error envelope says nothing of it.
        const success = layer.layer === 'http' && example.expect === null;
        const body = typeof example.body === 'string' || success ? undefined : example.body;
        const mismatch = body !== undefined && validate && !validate(body) ? validate.errors?.[0] : undefined;
        const why = mismatch && `${mismatch.instancePath || '/'} ${mismatch.message ?? ''}`;
        if (mismatch && example.expect?.conforms === undefined) {
          fail(['body', ...pointerSegments(mismatch.instancePath)], `the body does not match envelope ${layer.typeName} (${why}); fix it, or declare conforms: false`);
          continue;
        }
        const response = { status: example.status ?? (layer.layer === 'http' ? 0 : 200), headers: example.headers };
        const result =
          layer.layer === 'task'
            ? // A status or headers make it a status response, read as the poller reads one.
              example.status === null && Object.keys(example.headers).length === 0
              ? classifyTask(taxonomy, table, example.body)
              : classifyTaskRead(taxonomy, table, response, { body: example.body, unread: null })
            : example.expect === null
              ? classifySuccess(taxonomy, table, { ...response, body: example.body })
              : classifyHttp(taxonomy, table, { ...response, body: example.body });
        for (const [field, problem] of compare(example, result)) {
          // A body that breaks its envelope says where, so that the fix is plain.
          const reason = field === 'conforms' && why ? ` (${why})` : '';
          fail(field === null ? ['expect'] : ['expect', field], problem + reason);
        }
      }
    }
  }
  return diagnostics;
}

/** Each contradicted `expect` field with its problem; null names `expect` as a whole. */
function compare(example: ExampleModel, result: ClassifiedErrorOf<Vocabulary> | null): [keyof ExpectSpec | null, string][] {
  const expect = example.expect;
  if (expect === null) return result === null ? [] : [[null, `expected no failure, got category "${result.category}"`]];
  if (result === null) return [[null, `expected a classification, got null (the ${example.layer === 'task' ? 'task' : 'response'} was not seen as failed)`]];
  const problems: [keyof ExpectSpec, string][] = [];
  for (const key of Object.keys(expect) as (keyof ExpectSpec)[]) {
    const want = expect[key];
    const got = result[key];
    if (want !== got) problems.push([key, `expected ${key} ${JSON.stringify(want)}, got ${JSON.stringify(got)}`]);
  }
  return problems;
}
