/**
 * The page harness a webview suite in Chromium shares: the page served as VS
 * Code hosts it and a browser, made before the suite's tests and closed after;
 * each page opened records page errors and console errors, and after each test
 * there must be none (a CSP violation is reported as a console error by the
 * page's own set-up). Call inside a `describe`.
 */
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { launchBrowser, serveWebviewPage, type Browser, type PageUris, type StaticServer } from './browser';

export interface WebviewPages {
  /** A new page at the served HTML, after `setup` (init scripts) ran on it. */
  open(setup?: (page: Page) => Promise<unknown>): Promise<Page>;
}

export function webviewPages(bundle: string, stylesheet: string, render: (uris: PageUris) => string): WebviewPages {
  let browser: Browser;
  let server: StaticServer;
  let page: Page | undefined;
  let problems: string[] = [];

  before(async function () {
    this.timeout(240_000);
    server = await serveWebviewPage(bundle, stylesheet, render);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(async () => {
    assert.deepEqual(problems, [], 'no page errors, console errors or CSP violations');
    await page?.close().catch(() => undefined);
    page = undefined;
    problems = [];
  });

  return {
    async open(setup) {
      const p = await browser.context.newPage();
      page = p;
      p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      p.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      // tsx compiles the functions handed to the page with esbuild's keepNames, which calls a __name helper the page lacks
      await p.addInitScript({ content: 'globalThis.__name = (target) => target;' });
      await setup?.(p);
      await p.goto(`${server.origin}/`);
      return p;
    },
  };
}
