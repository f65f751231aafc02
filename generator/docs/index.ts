/**
 * `errspec docs`: the reference site, built from the model like the package is. Pure: the files
 * go to the write stage, which replaces the output folder whole.
 */
import type { OutputFile } from '../emit/output.js';
import type { Model } from '../model.js';
import { searchIndex, SEARCH_SCRIPT, STYLESHEET } from './assets.js';
import { indexPage } from './index-page.js';
import { providerPage } from './provider-page.js';

export function buildSite(model: Model): OutputFile[] {
  return [
    { path: 'index.html', content: indexPage(model) },
    ...model.providers.map((provider) => ({ path: `${provider.id}.html`, content: providerPage(model, provider) })),
    { path: 'search-index.js', content: searchIndex(model) },
    { path: 'search.js', content: SEARCH_SCRIPT },
    { path: 'style.css', content: STYLESHEET },
  ];
}
