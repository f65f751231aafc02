/**
 * The site's index: a search over every code of every provider, the category × provider matrix
 * (an empty cell is a gap in a provider's documentation, or a category it never reports), and the
 * taxonomy behind it.
 */
import type { CodeModel, Model, ProviderModel } from '../model.js';
import { retryWords } from '../words.js';
import { el, ident, page, prose, table, type Child } from './html.js';
import { codeHref } from './provider-page.js';

export function indexPage(model: Model): string {
  return page({
    title: `${model.package.name}: error reference`,
    from: model.taxonomy.file,
    scripts: ['search-index.js', 'search.js'],
    body: [
      el('h1', null, `${model.package.name}: error reference`),
      el('p', null, `Every error code of ${model.providers.length} providers, mapped onto one taxonomy: what went wrong, whose fault it is, whether to retry and how long to wait.`),
      search(),
      el(
        'section',
        { 'aria-labelledby': 'providers' },
        el('h2', { id: 'providers' }, 'Providers'),
        el('ul', null, model.providers.map((p) => el('li', null, el('a', { href: `${p.id}.html` }, p.name), ' (', ident(p.id), `): ${codesOf(p).length} codes`))),
      ),
      matrix(model),
      taxonomy(model),
    ],
  });
}

function search(): Child {
  return el(
    'section',
    { class: 'search', role: 'search', 'aria-labelledby': 'search-heading' },
    el('h2', { id: 'search-heading' }, 'Find a code'),
    el('label', { for: 'search' }, 'Code, message or description'),
    el('input', { id: 'search', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. concurrency, 429, content policy', 'aria-describedby': 'search-status' }),
    el('p', { id: 'search-status', 'aria-live': 'polite' }, ''),
    el('ul', { id: 'results' }),
    el('noscript', null, el('p', null, 'Search needs JavaScript; the table below links every code.')),
  );
}

/** Codes as the index lists them: HTTP codes, then a task layer's own. */
export function codesOf(provider: ProviderModel): { layer: 'http' | 'task'; code: CodeModel }[] {
  const http = provider.http.codes.map((code) => ({ layer: 'http' as const, code }));
  const task = provider.task && provider.task.codesFrom === null ? provider.task.codes.map((code) => ({ layer: 'task' as const, code })) : [];
  return [...http, ...task];
}

function matrix(model: Model): Child {
  const rows = model.taxonomy.categories.map((category) => [
    category.id,
    ...model.providers.map((provider) => {
      const codes = codesOf(provider).filter(({ code }) => code.outcome.category === category.id);
      if (codes.length === 0) return el('span', { class: 'gap', title: `no ${provider.name} code in ${category.id}` }, '—');
      return el(
        'ul',
        { class: 'cell' },
        codes.map(({ layer, code }) => el('li', null, el('a', { href: codeHref(provider.id, layer, code.code) }, ident(code.code)), layer === 'task' ? ' (task)' : '')),
      );
    }),
  ]);
  return el(
    'section',
    { 'aria-labelledby': 'matrix' },
    el('h2', { id: 'matrix' }, 'Categories by provider'),
    el('p', null, 'Each cell lists the codes of a provider that fall in a category; an empty cell (—) is a category the provider never reports by code.'),
    table('Codes by category and provider', ['category', ...model.providers.map((p) => p.name)], rows, { class: 'matrix' }),
  );
}

function taxonomy(model: Model): Child {
  const rows = model.taxonomy.categories.map((c) => [ident(c.id), c.fault, c.outcome.retryable ? 'yes' : 'no', c.outcome.action, c.outcome.retryable ? retryWords(c.outcome.retry) : 'no', prose(c.outcome.description)]);
  return el(
    'section',
    { 'aria-labelledby': 'taxonomy' },
    el('h2', { id: 'taxonomy' }, 'Categories'),
    el('p', null, 'What each category means when a provider says nothing more specific.'),
    table('Categories and their defaults', ['category', 'fault', 'retryable', 'action', 'retry', 'meaning'], rows, { class: 'taxonomy' }),
    el('h2', { id: 'actions' }, 'Actions'),
    el('dl', null, model.taxonomy.actions.map((a) => [el('dt', null, ident(a.id)), el('dd', null, prose(a.description))])),
  );
}
