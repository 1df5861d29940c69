/**
 * A real browser for webview tests: Debian's Chromium driven by playwright-core,
 * and a tiny loopback HTTP server that serves the pages under test.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext } from 'playwright-core';
import CHROMIUM_ARGS from '../../../scripts/vscode/chromium-args.json';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for the Chromium binary (it may still be being installed), then returns its path. */
export async function waitForChromium(timeoutMs = 120_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (!existsSync(CHROMIUM_PATH)) {
    if (Date.now() > until) throw new Error(`no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH or install the chromium package)`);
    await sleep(1000);
  }
  return CHROMIUM_PATH;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches a headless Chromium with a throw-away profile; close() removes the profile again. */
export async function launchBrowser(viewport = { width: 1100, height: 600 }): Promise<Browser> {
  const executablePath = await waitForChromium();
  const profile = await mkdtemp(join(tmpdir(), 'chart-webview-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      deviceScaleFactor: 1,
      colorScheme: 'dark',
      timeout: 60_000,
    });
    return {
      context,
      close: async () => {
        await context.close().catch(() => undefined);
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
}

export interface StaticResponse {
  body: string | Buffer;
  contentType: string;
  headers?: Record<string, string>;
}

export interface StaticServer {
  /** e.g. "http://127.0.0.1:41234" */
  origin: string;
  close(): Promise<void>;
}

/** Serves whatever route() returns for a path (404 otherwise) on 127.0.0.1 and a free port. */
export async function startStaticServer(route: (path: string, origin: string) => StaticResponse | undefined): Promise<StaticServer> {
  let origin = '';
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    const found = req.method === 'GET' ? route(path, origin) : undefined;
    if (!found) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': found.contentType, 'cache-control': 'no-store', ...found.headers }).end(found.body);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ROOT = resolve(__dirname, '..', '..', '..');

/** What a webview page is rendered with when serveWebviewPage serves it. */
export interface PageUris {
  scriptUri: string;
  styleUri: string;
  /** The page's origin, as `webview.cspSource` would be. */
  cspSource: string;
}

/**
 * Builds the webviews (the project's esbuild) and serves one page as VS Code
 * hosts it: its HTML at "/", made by `render`, with the bundled script and
 * the stylesheet beside it.
 */
export async function serveWebviewPage(bundle: string, stylesheet: string, render: (uris: PageUris) => string): Promise<StaticServer> {
  await promisify(execFile)(process.execPath, ['esbuild.mjs', '--only', 'webview'], { cwd: ROOT });
  const script = await readFile(join(ROOT, bundle));
  const css = await readFile(join(ROOT, stylesheet));
  return startStaticServer((path, origin) => {
    if (path === '/')
      return { body: render({ scriptUri: `${origin}/page.js`, styleUri: `${origin}/page.css`, cspSource: origin }), contentType: 'text/html; charset=utf-8' };
    if (path === '/page.js') return { body: script, contentType: 'text/javascript' };
    if (path === '/page.css') return { body: css, contentType: 'text/css' };
    // Chromium asks for it on its own; VS Code webviews never do.
    if (path === '/favicon.ico') return { body: '', contentType: 'image/x-icon' };
    return undefined;
  });
}
