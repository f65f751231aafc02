/**
 * Just enough HTML building for the reference site: every text is escaped on the way in, so no
 * spec string can become markup; `Html` marks what is already safe.
 */
import { GENERATED_MARK } from '../emit/header.js';

/** Markup that is safe to insert as is. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Child = Html | string | number | null | undefined | false | readonly Child[];

export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** `el('a', { href }, 'text')`; attributes that are null, undefined or false are left out. */
export function el(tag: string, attributes: Readonly<Record<string, string | number | boolean | null | undefined>> | null, ...children: Child[]): Html {
  const attrs = Object.entries(attributes ?? {})
    .filter(([, value]) => value !== null && value !== undefined && value !== false)
    .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escape(String(value))}"`))
    .join('');
  return new Html(VOID.has(tag) ? `<${tag}${attrs}>` : `<${tag}${attrs}>${render(children)}</${tag}>`);
}

export function render(children: readonly Child[]): string {
  return children.map((child) => (child instanceof Html ? child.text : Array.isArray(child) ? render(child) : child === null || child === undefined || child === false ? '' : escape(String(child)))).join('');
}

/** Spec prose, where `backticks` mark code. */
export function prose(text: string): Html {
  return new Html(escape(text).replace(/`([^`]+)`/g, (_, code: string) => `<code>${breakable(code)}</code>`));
}

/** An identifier, a path or a pattern, in code type. */
export function ident(text: string): Html {
  return new Html(`<code>${breakable(escape(text))}</code>`);
}

/**
 * Escaped text that may break after each `_`, `.`, `-` or `/`: a long identifier wraps at its
 * words, so a table column of codes needs only the width of the longest word.
 */
function breakable(escaped: string): string {
  return escaped.replace(/[_.\-/]/g, '$&<wbr>');
}

/**
 * A table with a caption and column headers that screen readers announce. It scrolls sideways in
 * its own region, never the page; the region takes focus, so a keyboard can scroll it too.
 */
export function table(caption: string, headers: readonly string[], rows: readonly (readonly Child[])[], attributes: Readonly<Record<string, string>> = {}): Html {
  return el(
    'div',
    { class: 'scroll', role: 'region', tabindex: 0, 'aria-label': caption },
    el(
      'table',
      attributes,
      el('caption', null, caption),
      el('thead', null, el('tr', null, headers.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', null, rows.map((cells) => el('tr', null, cells.map((cell, i) => (i === 0 ? el('th', { scope: 'row' }, cell) : el('td', null, cell)))))),
    ),
  );
}

/** A whole page: the same head, navigation and footer everywhere; no external resource. */
export function page({ title, from, body, scripts = [] }: { title: string; from: string; body: Child[]; scripts?: readonly string[] }): string {
  return [
    `<!-- ${GENERATED_MARK} from ${escape(from)}; do not edit. -->`,
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(title)}</title>`,
    '<link rel="stylesheet" href="style.css">',
    '</head>',
    '<body>',
    '<a class="skip" href="#main">Skip to content</a>',
    `<main id="main">${render(body)}</main>`,
    ...scripts.map((src) => `<script src="${escape(src)}"></script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * An id for an anchor, from parts joined by `--`. Letters, digits and `_` stay; any other character,
 * `-` included, becomes `-<hex>-`, so distinct codes never share an id, nor take the `-h` or
 * `-chart` that a code's heading and chart add to its own.
 */
export function anchor(...parts: string[]): string {
  return parts.map((part) => part.replace(/[^A-Za-z0-9_]/g, (c) => `-${c.codePointAt(0)!.toString(16)}-`)).join('--');
}

const VOID = new Set(['meta', 'link', 'input', 'br', 'hr', 'img']);
