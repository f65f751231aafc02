/**
 * The site's stylesheet and its one script. The search data ships as a script too (not JSON):
 * a page opened from file:// may not fetch.
 */
import { GENERATED_MARK } from '../emit/header.js';
import type { Model } from '../model.js';
import { codesOf } from './index-page.js';
import { codeHref } from './provider-page.js';

const HEAD = `/* ${GENERATED_MARK}; do not edit. */`;

/** One entry per code: what the search box matches and where it links. */
export function searchIndex(model: Model): string {
  const entries = model.providers.flatMap((provider) =>
    codesOf(provider).map(({ layer, code }) => ({
      provider: provider.name,
      layer,
      code: code.code,
      status: code.status,
      category: code.outcome.category,
      description: code.outcome.description,
      // The messages a caller sees: from the seed's examples and the sub-types' patterns.
      messages: [
        ...(layer === 'http' ? provider.http : provider.task!).examples
          .filter((e) => e.code === code.code)
          .map((e) => messageOf(e.body))
          .filter((m): m is string => m !== null),
        ...code.subtypes.flatMap((s) => [s.id, s.description, ...s.contains]),
      ],
      href: codeHref(provider.id, layer, code.code),
    })),
  );
  return `${HEAD}\nwindow.errspecIndex = ${JSON.stringify(entries, null, 1)};\n`;
}

/** The message string anywhere in an example body, else null. */
function messageOf(body: unknown): string | null {
  if (typeof body === 'string') return body.length <= 300 ? body : null;
  if (typeof body !== 'object' || body === null) return null;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'message' && typeof value === 'string') return value;
    const inner = typeof value === 'object' ? messageOf(value) : null;
    if (inner !== null) return inner;
  }
  return null;
}

export const SEARCH_SCRIPT = `${HEAD}
// Filters every code of every provider as you type: by code, status, category, description or
// message fragment. Case-insensitive; all words must match.
(function () {
  'use strict';
  var input = document.getElementById('search');
  var list = document.getElementById('results');
  var status = document.getElementById('search-status');
  var index = window.errspecIndex || [];
  var MOST = 50;
  var texts = index.map(function (e) {
    return [e.code, e.provider, e.category, String(e.status || ''), e.description].concat(e.messages).join(' ').toLowerCase();
  });

  function show() {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    list.textContent = '';
    if (words.length === 0) {
      status.textContent = '';
      return;
    }
    var found = [];
    for (var i = 0; i < index.length; i++) {
      if (words.every(function (w) { return texts[i].indexOf(w) >= 0; })) found.push(index[i]);
    }
    status.textContent = found.length === 0 ? 'No code matches.' : found.length === 1 ? '1 code matches.' : found.length + ' codes match.';
    found.slice(0, MOST).forEach(function (e) {
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = e.href;
      var code = document.createElement('code');
      code.textContent = e.code;
      link.appendChild(code);
      item.appendChild(link);
      item.appendChild(document.createTextNode(' ' + e.provider + (e.layer === 'task' ? ' (task)' : '') + (e.status ? ', ' + e.status : '') + ', ' + e.category + ': ' + e.description));
      list.appendChild(item);
    });
  }

  input.addEventListener('input', show);
  show();
})();
`;

export const STYLESHEET = `${HEAD}
:root { color-scheme: light dark; --fg: #1d1f21; --bg: #fff; --muted: #5c6166; --line: #d5d8dc; --accent: #0b5cad; --band: #9cc3ea; --floor: #0b5cad; --note: #fff8e1; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6e6; --bg: #16181b; --muted: #a0a6ad; --line: #3a3f45; --accent: #6fb0f2; --band: #2f5f8f; --floor: #6fb0f2; --note: #2b2716; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; overflow-wrap: break-word; color: var(--fg); background: var(--bg); }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem 4rem; }
a { color: var(--accent); }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; }
h1 code, h3 code { font-size: inherit; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
code { overflow-wrap: anywhere; }
/* In a table that would squeeze a code to a letter a line: it breaks at its words, else the table scrolls. */
th code, td code { overflow-wrap: normal; }
pre { overflow-x: auto; padding: .75rem; border: 1px solid var(--line); border-radius: 4px; }
.scroll { overflow-x: auto; margin: 1rem 0; }
.scroll:focus-visible, pre:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: color-mix(in srgb, var(--line) 35%, transparent); }
.matrix ul.cell { margin: 0; padding: 0; list-style: none; }
.gap { color: var(--muted); }
section.code, section.other { border-top: 1px solid var(--line); margin-top: 1.5rem; padding-top: .5rem; }
dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .15rem 1rem; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
.note { background: var(--note); }
p.note { padding: .5rem .75rem; border-radius: 4px; }
figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: .95em; }
.chart { max-width: 100%; height: auto; }
.chart .floor { fill: var(--floor); }
.chart .jitter { fill: var(--band); }
.chart .cap { stroke: var(--muted); stroke-dasharray: 4 3; }
.chart .axis { stroke: var(--muted); }
.chart .tick { fill: var(--muted); font-size: 11px; }
.search input { width: 100%; max-width: 32rem; padding: .5rem; font: inherit; display: block; margin-top: .25rem; }
#results { padding-left: 1.25rem; }
`;
