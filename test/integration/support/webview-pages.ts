/**
 * The page harness a webview suite in Chromium shares: the page served as VS
 * Code hosts it and a browser, made before the suite's tests and closed after;
 * each page opened records page errors and console errors, and after each test
 * there must be none on any page the test opened (a CSP violation is reported
 * as a console error by the page's own set-up). Call inside a `describe`.
 */
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { launchBrowser, serveWebviewPage, type Browser, type PageUris, type StaticServer } from './browser';

export interface WebviewPages {
  /** A new page at the served HTML, after `setup` (init scripts) ran on it. */
  open(setup?: (page: Page) => Promise<unknown>): Promise<Page>;
  /** What went wrong on a page so far (its errors, and warnings where asked); live. */
  problems(page: Page): readonly string[];
  /** Takes a page's problems so far (a test that provokes them on purpose checks them itself). */
  take(page: Page): string[];
  /** Where the page is served from (its CSP names it). */
  origin(): string;
}

export function webviewPages(
  bundle: string,
  stylesheet: string,
  render: (uris: PageUris) => string,
  /** Console warnings count as problems too. */
  options: { warnings?: boolean } = {},
): WebviewPages {
  let browser: Browser;
  let server: StaticServer;
  const open = new Map<Page, string[]>();

  before(async function () {
    this.timeout(240_000); // Chromium may still be being installed (see waitForChromium)
    server = await serveWebviewPage(bundle, stylesheet, render);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(async () => {
    const problems = [...open.values()].flat();
    for (const p of open.keys()) await p.close().catch(() => undefined);
    open.clear();
    assert.deepEqual(problems, [], 'no page errors, console errors or CSP violations');
  });

  return {
    async open(setup) {
      const p = await browser.context.newPage();
      const problems: string[] = [];
      open.set(p, problems);
      p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      p.on('console', (m) => {
        if (m.type() === 'error' || (options.warnings && m.type() === 'warning')) problems.push(`console ${m.type()}: ${m.text()}`);
      });
      // tsx compiles the functions handed to the page with esbuild's keepNames, which calls a __name helper the page lacks
      await p.addInitScript({ content: 'globalThis.__name = (target) => target;' });
      await setup?.(p);
      await p.goto(`${server.origin}/`);
      return p;
    },
    problems: (page) => open.get(page) ?? [],
    take: (page) => open.get(page)?.splice(0) ?? [],
    origin: () => server.origin,
  };
}
