/**
 * One provider's page: every code with what it means and how it is retried (in words and as a
 * chart), its sub-types, the seed's example bodies, the notes behind each choice, and sources.
 */
import { usualRetryAfter, type CategoryModel, type CodeModel, type ExampleModel, type LayerModel, type Model, type ProviderModel, type SoftFailureModel, type SourcedModel, type SpecOutcome, type SubtypeModel, type TaskLayerModel } from '../model.js';
import { pathText } from '../runtime/body.js';
import type { FieldPath } from '../runtime/types.js';
import { httpStateWords, pollWords, retryAfterWords, retryWords, softFailureWords, STATUS_CLASS_WORDS, verdictWords } from '../words.js';
import { charted, retryChart } from './chart.js';
import { anchor, el, ident, page, prose, table, type Child, type Html } from './html.js';

export function providerPage(model: Model, provider: ProviderModel): string {
  const faults = new Map(model.taxonomy.categories.map((c: CategoryModel) => [c.id, c.fault]));
  const fault = (category: string): string => faults.get(category) ?? 'unknown';
  return page({
    title: `${provider.name}: errors (${model.package.name})`,
    from: provider.file,
    body: [
      el('nav', { 'aria-label': 'Breadcrumb' }, el('a', { href: 'index.html' }, 'All providers')),
      el('h1', null, `${provider.name} `, ident(provider.id)),
      overview(provider),
      layerSection(provider, provider.http, fault, {
        heading: 'HTTP errors',
        none: `${provider.name} declares no HTTP error codes: a failed response is read by its status (below).`,
      }),
      statusSection(provider),
      provider.task ? taskSection(model, provider, provider.task, fault) : el('p', null, 'No task layer: this provider answers each request directly.'),
      sourcesSection(provider),
    ],
  });
}

export function codeHref(provider: string, layer: 'http' | 'task', code: string): string {
  return `${provider}.html#${codeAnchor(layer, code)}`;
}

export function codeAnchor(layer: 'http' | 'task', code: string): string {
  return anchor(layer, code);
}

function overview(provider: ProviderModel): Html {
  const facts: Child[] = [
    el(
      'li',
      null,
      provider.idempotencyHeader
        ? [`Each POST carries an `, ident(provider.idempotencyHeader.value), ' header, the same on every attempt, so it may be resent. ', note(provider.idempotencyHeader)]
        : provider.noIdempotencyKey
          ? ['The provider documents no idempotency key: a POST that may have been processed is never resent. ', note(provider.noIdempotencyKey)]
          : 'No idempotency header: a POST that may have been processed is never resent.',
    ),
    ...provider.requestHeaders.map((header) => el('li', null, 'Every request carries ', ident(`${header.name}: ${header.value}`), ', unless it sets its own. ', note(header))),
    provider.concurrency ? el('li', null, `At most ${provider.concurrency.value} generation${provider.concurrency.value === 1 ? '' : 's'} at once per account. `, note(provider.concurrency)) : null,
    provider.task ? el('li', null, 'Tasks are polled ', prose(pollWords(provider.task)), '. ', note(provider.task.poll)) : null,
    usualRetryAfter(provider) ? null : el('li', null, 'The wait the server states is read from ', prose(retryAfterWords(provider.retryAfter)), '. ', ...provider.retryAfter.filter((w) => w.note !== null).map((w) => prose(`${w.note} `))),
    ...provider.verdicts.map((v) => el('li', null, 'The ', ident(v.header), ' header decides whether to retry, over code and status: ', prose(verdictWords(v)), '. ', note({ source: v.source, note: v.note, value: null }))),
    ...softFailureItems(provider.http.softFailures, 'A 2xx response fails '),
  ];
  return el('section', { 'aria-labelledby': 'sending' }, el('h2', { id: 'sending' }, 'Sending'), el('ul', null, facts));
}

/** Failures inside a success, one item each, with their sources. */
function softFailureItems(rules: readonly SoftFailureModel[], lead: string): Child[] {
  return rules.map((rule) => el('li', null, lead, prose(softFailureWords(rule)), '. ', note({ source: rule.source, note: rule.note, value: null })));
}

function note(fact: SourcedModel<unknown>): Child {
  return fact.note === null ? `(Source: ${fact.source}.)` : [el('span', { class: 'note' }, prose(fact.note)), ` (Source: ${fact.source}.)`];
}

/**
 * A layer's codes: the table, then a section per code, then the examples no code claims. `intro`
 * comes first, so facts about the whole layer never read as part of its last code.
 */
function layerSection(
  provider: ProviderModel,
  layer: LayerModel,
  fault: (category: string) => string,
  { heading, none, intro = null }: { heading: string; none: Child; intro?: Child },
): Html {
  // Not anchor(layer, 'codes'): that is the id of a code named `codes`.
  const id = `${layer.layer}-codes`;
  const rows = layer.codes.map((c) => [
    el('a', { href: `#${codeAnchor(layer.layer, c.code)}` }, ident(c.code)),
    c.status ?? '—',
    c.outcome.category,
    c.outcome.action,
    c.outcome.retryable ? 'yes' : 'no',
    fault(c.outcome.category),
  ]);
  return el(
    'section',
    { 'aria-labelledby': id },
    el('h2', { id }, heading),
    el('p', null, 'Bodies have the shape ', ident(layer.typeName), '.'),
    intro,
    layer.codes.length === 0
      ? el('p', null, none)
      : [
          table(`${provider.name}: ${heading.toLowerCase()}`, ['code', 'status', 'category', 'action', 'retryable', 'fault'], rows, { class: 'codes' }),
          layer.codes.map((c) => codeSection(provider, layer, c, fault)),
        ],
    layerExamples(layer),
  );
}

function codeSection(provider: ProviderModel, layer: LayerModel, code: CodeModel, fault: (category: string) => string): Html {
  const id = codeAnchor(layer.layer, code.code);
  const outcome = code.outcome;
  return el(
    'section',
    { class: 'code', id, 'aria-labelledby': `${id}-h` },
    el('h3', { id: `${id}-h` }, ident(code.code)),
    el('p', null, prose(outcome.description)),
    el(
      'dl',
      null,
      el('dt', null, 'status'),
      el('dd', null, code.status ?? 'none declared'),
      el('dt', null, 'category'),
      el('dd', null, outcome.category),
      el('dt', null, 'fault'),
      el('dd', null, fault(outcome.category)),
      el('dt', null, 'action'),
      el('dd', null, outcome.action),
      el('dt', null, 'retryable'),
      el('dd', null, outcome.retryable ? 'yes' : 'no'),
      el('dt', null, 'unprocessed'),
      el('dd', null, outcome.unprocessed ? 'yes: proves the request was not processed, so even a POST may be resent' : 'no'),
      outcome.suggestion ? [el('dt', null, 'suggestion'), el('dd', null, prose(outcome.suggestion))] : null,
      el('dt', null, 'source'),
      el('dd', null, sourceName(provider, code.source)),
    ),
    retrySection(outcome, id),
    code.note ? el('p', { class: 'note' }, el('strong', null, 'Why: '), prose(code.note)) : null,
    code.sdk ? el('p', { class: 'note' }, el('strong', null, 'Official SDK: '), prose(code.sdk)) : null,
    code.subtypes.length > 0 ? subtypeTable(code, outcome) : null,
    examples(layer.examples.filter((e) => e.code === code.code), `Examples of ${code.code}`),
  );
}

function retrySection(outcome: SpecOutcome, id: string): Child {
  if (!outcome.retryable || outcome.retry === null) return el('p', { class: 'retry' }, 'Not retried: the same request would fail again.');
  const words = ['Wait before each retry: ', retryWords(outcome.retry), '.'];
  // A chart of waits that are all zero would be an empty axis; the words say it all.
  if (!charted(outcome.retry)) return el('p', { class: 'retry' }, words);
  return el('figure', { class: 'retry' }, retryChart(outcome.retry, `${id}-chart`), el('figcaption', null, words));
}

function subtypeTable(code: CodeModel, outcome: SpecOutcome): Html {
  const pattern = (s: SubtypeModel): Child => [
    ...s.contains.flatMap((c, i) => [i > 0 ? ' or ' : '', ident(c)]),
    s.regex === null ? '' : [s.contains.length > 0 ? ' or ' : '', ident(`/${s.regex}/i`)],
  ];
  const rows = code.subtypes.map((s) => {
    const own = s.outcome ?? outcome;
    return [ident(s.id), [prose(s.description), s.note ? el('span', { class: 'note' }, ' ', prose(s.note)) : null], pattern(s), own.category, own.action, own.retryable ? retryWords(own.retry) : 'no'];
  });
  return table(`Sub-types of ${code.code}, tried in order on the message`, ['sub-type', 'meaning', 'message contains', 'category', 'action', 'retry'], rows, { class: 'subtypes' });
}

/** The examples no code claims, under their own heading: they belong to no code's section. */
function layerExamples(layer: LayerModel): Child {
  const own = layer.examples.filter((e) => e.code === null);
  if (own.length === 0) return null;
  const id = `${layer.layer}-other`;
  const [heading, what] = layer.layer === 'http' ? ['Other responses', 'responses'] : ['Other task bodies', 'task bodies'];
  return el(
    'section',
    { class: 'other', 'aria-labelledby': id },
    el('h3', { id }, heading),
    el('p', null, `The spec's examples of ${what} that name no declared code, and how errspec reads them.`),
    examples(own, 'Examples'),
  );
}

function examples(list: readonly ExampleModel[], heading: string): Child {
  if (list.length === 0) return null;
  return el(
    'details',
    { class: 'examples' },
    el('summary', null, `${heading} (${list.length})`),
    list.map((e) =>
      el(
        'figure',
        { class: 'example' },
        el('figcaption', null, e.name, e.status === null ? '' : ` — status ${e.status}`, e.expect ? ` → ${e.expect.category}` : ''),
        // A long line scrolls inside its block; focus lets a keyboard scroll it.
        Object.keys(e.headers).length > 0 ? el('pre', { class: 'headers', tabindex: 0 }, Object.entries(e.headers).map(([k, v]) => `${k}: ${v}`).join('\n')) : null,
        e.body === undefined ? el('p', null, 'No body.') : el('pre', { tabindex: 0 }, typeof e.body === 'string' ? e.body : JSON.stringify(e.body, null, 2)),
      ),
    ),
  );
}

function statusSection(provider: ProviderModel): Html {
  const rows = provider.statuses.map((s) => {
    const outcome = s.outcome ?? provider.http.codes.find((c) => c.code === s.code)?.outcome ?? null;
    return [
      s.status,
      s.code === null ? 'its own outcome' : el('a', { href: `#${codeAnchor('http', s.code)}` }, ident(s.code)),
      outcome?.category ?? '—',
      outcome?.action ?? '—',
      outcome?.retryable ? retryWords(outcome.retry) : 'no',
      [s.note ? prose(s.note) : '', s.sdk ? el('span', { class: 'note' }, ' Official SDK: ', prose(s.sdk)) : null],
    ];
  });
  return el(
    'section',
    { 'aria-labelledby': 'statuses' },
    el('h2', { id: 'statuses' }, 'Statuses without a known code'),
    rows.length === 0
      ? el('p', null, 'No status has a meaning of its own here: when a body names no declared code, the status falls back on the taxonomy (see the index).')
      : [
          el('p', null, 'What a response means when its body names no declared code. Other statuses fall back on the taxonomy (see the index).'),
          table(`${provider.name}: what a bare status means`, ['status', 'means', 'category', 'action', 'retry', 'note'], rows, { class: 'statuses' }),
        ],
    provider.sdkElsewhere ? el('p', { class: 'note' }, el('strong', null, 'Official SDK, on statuses left to the taxonomy: '), prose(provider.sdkElsewhere)) : null,
  );
}

function taskSection(model: Model, provider: ProviderModel, task: TaskLayerModel, fault: (category: string) => string): Html {
  const states = table(
    `${provider.name}: task states`,
    ['status value', 'state'],
    task.states.map(([value, state]) => [ident(value), STATUS_CLASS_WORDS[state]]),
    { class: 'states' },
  );
  const where = (paths: readonly FieldPath[]): Child => paths.flatMap((p, i) => [i > 0 ? ', ' : '', ident(pathText(p))]);
  const facts = el(
    'ul',
    null,
    el('li', null, 'The task id sits at ', where(task.submitTaskId.value), ' in the submit response, and at ', where(task.taskId), ' in the status body. ', note(task.submitTaskId)),
    task.progress ? el('li', null, 'Progress sits at ', ident(pathText(task.progress)), task.progressScale === 100 ? ', from 0 to 100.' : `, from 0 to ${task.progressScale}; it is reported from 0 to 100.`) : null,
    task.httpStates.length === 0 ? null : el('li', null, "The status request's own HTTP status decides over the body: ", prose(httpStateWords(task)), '.'),
    task.absent === null ? null : el('li', null, 'A body that names a task without a status field has the status ', ident(task.absent), '.'),
    task.result === null ? null : el('li', null, "A completed task's result is fetched from the URL at ", ident(pathText(task.result.value)), "; a failure of that fetch is the task's. ", note(task.result)),
    ...softFailureItems(task.softFailures, 'A completed task fails '),
    el('li', null, 'A status value not listed here reads as still running, never as success.'),
  );
  if (task.codesFrom === 'http') {
    return el(
      'section',
      { 'aria-labelledby': 'task-codes' },
      el('h2', { id: 'task-codes' }, 'Task failures'),
      el('p', null, 'A failed task carries the same codes as the HTTP errors above; bodies have the shape ', ident(task.typeName), '.'),
      facts,
      states,
      layerExamples(task),
    );
  }
  return layerSection(provider, task, fault, {
    heading: 'Task failures',
    none: [
      `${provider.name} declares no task failure codes: a failed task reads as `,
      ident(model.taxonomy.statusFallback.otherwise),
      ", the taxonomy's fallback category.",
    ],
    intro: [facts, states],
  });
}

function sourcesSection(provider: ProviderModel): Html {
  return el(
    'section',
    { 'aria-labelledby': 'sources' },
    el('h2', { id: 'sources' }, 'Sources'),
    el('ul', null, provider.sources.map((s) => el('li', { id: anchor('source', s.key) }, el('strong', null, s.key), ': ', s.title ?? s.document, s.title ? [' (', ident(s.document), ')'] : ''))),
  );
}

function sourceName(provider: ProviderModel, key: string): Child {
  const source = provider.sources.find((s) => s.key === key);
  return el('a', { href: `#${anchor('source', key)}` }, source?.title ?? key);
}
