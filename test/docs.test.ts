/**
 * errspec docs: the reference site, opened from disk in a real headless Chromium (Debian's
 * package, driven by playwright-core; `.ci/run` installs it where missing). Every code of every
 * provider is reachable from the index, search finds codes by fragments, each chart renders,
 * every page fits a phone and a desktop window, nothing is loaded from the network, no console
 * error, and the structure screen readers use is there.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeAnchor, codeHref } from '../generator/docs/provider-page.js';
import { codesOf } from '../generator/docs/index-page.js';
import { retriesAllowed } from '../generator/runtime/retry.js';
import type { RetryRule } from '../generator/runtime/types.js';
import { retryWords, waitBounds } from '../generator/words.js';
import { checkDir, copyOfShippedSpec, removeDir, runCli, SPEC_DIR, tempDir } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const model = checkDir(SPEC_DIR, SPEC_DIR).model!;
const pages = ['index.html', ...model.providers.map((p) => `${p.id}.html`)];

let site: string;
let browser: Browser;
const made: string[] = [];

beforeAll(async () => {
  site = join(tempDir('errspec-site-'), 'docs');
  made.push(join(site, '..'));
  const r = await runCli(['docs', '--out', site]);
  expect(r.code, r.stderr).toBe(0);
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (.ci/run does), or set CHROMIUM_PATH`);
  // As CI runs as root, Chromium needs --no-sandbox; the rest keep it off the (closed) network.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  made.forEach(removeDir);
});

/** Opens a page of the site, recording console errors, page errors and every request. */
async function open(name: string, hash = '', width?: number): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await browser.newPage(width === undefined ? {} : { viewport: { width, height: 800 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(join(site, name)).href + hash);
  return { page, problems, requests };
}

describe('every page', () => {
  it.each(pages)('%s: loads only its own files, with no console error', async (name) => {
    const { page, problems, requests } = await open(name);
    expect(problems).toEqual([]);
    for (const url of requests) expect(url.startsWith(pathToFileURL(site).href)).toBe(true);
    await page.close();
  });

  it.each(pages)('%s: one h1, headings in order, tables with captions and column headers', async (name) => {
    const { page } = await open(name);
    const structure = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      h1: document.querySelectorAll('h1').length,
      levels: [...document.querySelectorAll('h1, h2, h3, h4')].map((h) => Number(h.tagName[1])),
      tables: [...document.querySelectorAll('table')].map((t) => ({
        caption: t.querySelector('caption')?.textContent?.trim() ?? '',
        columns: [...t.querySelectorAll('thead th')].map((th) => th.getAttribute('scope')),
        rowHeaders: [...t.querySelectorAll('tbody tr')].every((tr) => tr.firstElementChild?.tagName === 'TH' && tr.firstElementChild.getAttribute('scope') === 'row'),
      })),
      unlabelledInputs: [...document.querySelectorAll('input')].filter((i) => !document.querySelector(`label[for="${i.id}"]`)).length,
    }));
    expect(structure.lang).toBe('en');
    expect(structure.h1).toBe(1);
    expect(structure.levels[0]).toBe(1);
    // No heading skips a level on the way down.
    structure.levels.forEach((level, i) => i > 0 && expect(level - structure.levels[i - 1]!).toBeLessThanOrEqual(1));
    expect(structure.tables.length).toBeGreaterThan(0);
    for (const t of structure.tables) {
      expect(t.caption).not.toBe('');
      expect(t.columns.length).toBeGreaterThan(1);
      expect(t.columns.every((scope) => scope === 'col')).toBe(true);
      expect(t.rowHeaders).toBe(true);
    }
    expect(structure.unlabelledInputs).toBe(0);
    await page.close();
  });

  it.each(pages)('%s: no table is empty', async (name) => {
    const { page } = await open(name);
    const empty = await page.$$eval('table', (tables) => tables.filter((t) => t.querySelectorAll('tbody tr').length === 0).map((t) => t.querySelector('caption')?.textContent));
    expect(empty).toEqual([]);
    await page.close();
  });

  // A desktop window and a phone.
  it.each(pages.flatMap((name) => [1280, 390].map((width) => [name, width] as const)))(
    '%s at %i px wide: nothing sticks out sideways; what is too wide scrolls in its own focusable box',
    async (name, width) => {
      const { page } = await open(name, '', width);
      // Lay out everything a reader can reveal: example bodies, and a search with many results.
      if ((await page.locator('#search').count()) > 0) await page.fill('#search', 'e');
      const layout = await page.evaluate(() => {
        document.querySelectorAll('details').forEach((d) => (d.open = true));
        const main = document.querySelector('main')!;
        const edge = main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
        const all = [...main.querySelectorAll('*')];
        const scrollers = all.filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX));
        const inScroller = (e: Element): boolean => scrollers.some((s) => s !== e && s.contains(e));
        const describe = (e: Element): string => `${e.tagName.toLowerCase()} ${(e.textContent ?? '').trim().slice(0, 50)}`;
        return {
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          outside: all.filter((e) => !inScroller(e) && e.getBoundingClientRect().right > edge + 1).map(describe),
          unfocusable: scrollers.filter((s) => s.scrollWidth > s.clientWidth && s.getAttribute('tabindex') !== '0').map(describe),
          tables: [...main.querySelectorAll('table')].map((t) => ({
            region: t.parentElement?.getAttribute('role') ?? null,
            scrolls: t.parentElement ? scrollers.includes(t.parentElement) : false,
            focusable: t.parentElement?.getAttribute('tabindex') === '0',
            label: t.parentElement?.getAttribute('aria-label') ?? null,
            caption: t.querySelector('caption')?.textContent ?? '',
          })),
        };
      });
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.outside).toEqual([]);
      expect(layout.unfocusable).toEqual([]);
      for (const t of layout.tables) expect(t).toEqual({ region: 'region', scrolls: true, focusable: true, label: t.caption, caption: t.caption });
      await page.close();
    },
  );
});

describe('the index', () => {
  it('links every code of every provider, and each link lands on that code', async () => {
    const { page } = await open('index.html');
    const links = new Set(await page.$$eval('.matrix a', (anchors) => anchors.map((a) => a.getAttribute('href'))));
    await page.close();
    for (const provider of model.providers) {
      const { page: target } = await open(`${provider.id}.html`);
      for (const { layer, code } of codesOf(provider)) {
        const id = codeAnchor(layer, code.code);
        expect(links.has(`${provider.id}.html#${id}`), `${provider.id} ${layer} ${code.code}`).toBe(true);
        expect(await target.locator(`[id="${id}"] h3`).textContent()).toBe(code.code);
      }
      await target.close();
    }
    const total = model.providers.reduce((n, p) => n + codesOf(p).length, 0);
    expect(links.size).toBe(total);
  });

  it('shows an empty matrix cell where a provider has no code in a category', async () => {
    const { page } = await open('index.html');
    const gaps = await page.locator('.matrix .gap').count();
    const expected = model.taxonomy.categories.reduce((n, c) => n + model.providers.filter((p) => !codesOf(p).some(({ code }) => code.outcome.category === c.id)).length, 0);
    expect(gaps).toBe(expected);
    expect(gaps).toBeGreaterThan(0);
    await page.close();
  });
});

describe('provider pages', () => {
  it.each(model.providers.map((p) => [p.id, p] as const))('%s: the examples no code claims have a heading of their own, outside every code', async (_id, provider) => {
    const { page } = await open(`${provider.id}.html`);
    for (const layer of provider.task ? [provider.http, provider.task] : [provider.http]) {
      const own = layer.examples.filter((e) => e.code === null);
      if (own.length === 0) continue;
      const heading = layer.layer === 'http' ? 'Other responses' : 'Other task bodies';
      const codeIds = layer.codes.map((c) => codeAnchor(layer.layer, c.code));
      const found = await page.$$eval(
        'h3',
        (hs, [text, ids]) =>
          hs
            .filter((h) => h.textContent === text)
            .map((h) => {
              const section = h.closest('section');
              let inCode = false;
              for (let e = section?.parentElement; e; e = e.parentElement) inCode ||= ids.includes(e.id);
              return { labels: section?.getAttribute('aria-labelledby') === h.id, examples: section?.querySelectorAll('figure.example').length ?? 0, inCode };
            }),
        [heading, codeIds] as const,
      );
      expect(found, heading).toEqual([{ labels: true, examples: own.length, inCode: false }]);
    }
    await page.close();
  });
});

describe('search', () => {
  // Other providers may share a code or a message, and come first: look for a result, never at a place.
  const results = async (page: Page): Promise<{ href: string; text: string }[]> =>
    page.$$eval('#results li', (items) => items.map((li) => ({ href: li.querySelector('a')?.getAttribute('href') ?? '', text: li.textContent ?? '' })));
  const hrefs = (fragment: string): string[] =>
    model.providers.flatMap((p) => codesOf(p).filter(({ code }) => code.code.toLowerCase().includes(fragment)).map(({ layer, code }) => codeHref(p.id, layer, code.code)));

  it('filters codes across providers as you type a fragment of a name', async () => {
    const { page, problems } = await open('index.html');
    const expected = hrefs('concurr');
    expect(new Set(expected.map((href) => href.split('#')[0])).size).toBeGreaterThan(1);
    await page.locator('#search').pressSequentially('concurr');
    const found = (await results(page)).map((r) => r.href);
    for (const href of expected) expect(found).toContain(href);
    const counted = /^(\d+) codes match\.$/.exec((await page.locator('#search-status').textContent()) ?? '');
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(found.length);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("finds a code by a fragment of its example's message, and by status and words together", async () => {
    const { page } = await open('index.html');
    await page.fill('#search', 'filtered due to policy');
    expect((await results(page)).map((r) => r.href)).toContain(codeHref('ltx', 'http', 'content_filtered_error'));
    const wubble = model.providers.find((p) => p.id === 'wubble')!;
    await page.fill('#search', `${wubble.name} 429`);
    const found = await results(page);
    expect(found.map((r) => r.href).filter((href) => href.startsWith(`${wubble.id}.html#`)).sort()).toEqual(
      codesOf(wubble).filter(({ code }) => code.status === 429).map(({ layer, code }) => codeHref(wubble.id, layer, code.code)).sort(),
    );
    for (const r of found) expect(r.text).toContain('429');
    await page.fill('#search', 'no such thing anywhere');
    expect(await results(page)).toEqual([]);
    expect(await page.locator('#search-status').textContent()).toBe('No code matches.');
    await page.fill('#search', '');
    expect(await results(page)).toEqual([]);
    await page.close();
  });

  it('a result leads to the code', async () => {
    const { page } = await open('index.html');
    const href = codeHref('wubble', 'http', 'CONCURRENT_GENERATION_LIMIT');
    await page.fill('#search', 'CONCURRENT_GENERATION_LIMIT');
    await page.locator(`#results a[href="${href}"]`).click();
    await page.waitForURL((url) => url.href.endsWith(`/${href}`));
    await expect.poll(() => page.locator(`[id="${codeAnchor('http', 'CONCURRENT_GENERATION_LIMIT')}"]`).isVisible()).toBe(true);
    await page.close();
  });
});

describe('retry charts', () => {
  it.each(model.providers.map((p) => [p.id, p] as const))('%s: a chart for each retried code that waits, a bar per retry; no wait said in words', async (_id, provider) => {
    const { page } = await open(`${provider.id}.html`);
    const retried = codesOf(provider).filter(({ code }) => code.outcome.retryable && code.outcome.retry !== null);
    const waits = (rule: RetryRule): boolean => Array.from({ length: Math.min(retriesAllowed(rule), 12) }, (_, i) => waitBounds(rule, i + 1).most).some((ms) => ms > 0);
    const charted = retried.filter(({ code }) => waits(code.outcome.retry!));
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        const [titleId, descId] = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
        return {
          id: svg.id,
          role: svg.getAttribute('role'),
          width: box.width,
          height: box.height,
          retries: Number(svg.getAttribute('data-retries')),
          floors: [...svg.querySelectorAll('rect.floor')].map((r) => r.getBoundingClientRect().height),
          title: document.getElementById(titleId ?? '')?.textContent ?? '',
          desc: document.getElementById(descId ?? '')?.textContent ?? '',
        };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(charted.map(({ layer, code }) => `${codeAnchor(layer, code.code)}-chart`));
    charts.forEach((chart, i) => {
      const rule = charted[i]!.code.outcome.retry!;
      expect(chart.role).toBe('img');
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.height).toBeGreaterThan(50);
      expect(chart.retries).toBe(Math.min(retriesAllowed(rule), 12));
      expect(chart.floors.length).toBe(chart.retries);
      // A bar for a wait of zero has no height; every other bar shows.
      chart.floors.forEach((height, i) => expect(height > 0).toBe(waitBounds(rule, i + 1).least > 0));
      expect(chart.title).toBe('Retry schedule');
      expect(chart.desc).toMatch(/^Wait before each retry/);
    });
    // A rule that never waits draws no empty chart: its section says it retries at once.
    for (const { layer, code } of retried.filter((r) => !charted.includes(r))) {
      const section = page.locator(`[id="${codeAnchor(layer, code.code)}"]`);
      expect(await section.locator('svg').count()).toBe(0);
      expect(await section.locator('.retry').textContent()).toBe(`Wait before each retry: ${retryWords(code.outcome.retry)}.`);
      expect(retryWords(code.outcome.retry)).toMatch(/^at once\b/);
    }
    await page.close();
  });
});

describe('anchors', () => {
  it('distinct codes never share an id, nor collide with the ids a code adds to its own', () => {
    const codes = ['x', 'x-h', 'x-chart', 'a.b', 'a-2e-b', 'a--b', 'a b', 'A_B', 'ünïcode', '😀'];
    const ids = codes.flatMap((code) => [codeAnchor('http', code), `${codeAnchor('http', code)}-h`, `${codeAnchor('http', code)}-chart`, codeAnchor('task', code)]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('errspec docs', () => {
  it('rewrites nothing when the site is current, and refuses a folder it did not write', async () => {
    const again = await runCli(['docs', '--out', site]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`already up to date (${pages.length} page${pages.length === 1 ? '' : 's'};`);
    const foreign = tempDir();
    made.push(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    const refused = await runCli(['docs', '--out', foreign]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('holds files errspec did not generate');
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('a bad spec: every problem as file:line:col, exit 1, the site untouched', async () => {
    const spec = copyOfShippedSpec();
    made.push(spec);
    writeFileSync(join(spec, 'ltx.yaml'), readFileSync(join(spec, 'ltx.yaml'), 'utf8').replace('category: content_policy', 'category: content_polcy'));
    const before = readFileSync(join(site, 'ltx.html'), 'utf8');
    const r = await runCli(['docs', '--spec', spec, '--out', site]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ltx\.yaml:\d+:\d+: /);
    expect(readFileSync(join(site, 'ltx.html'), 'utf8')).toBe(before);
  });
});
