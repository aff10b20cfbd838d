/**
 * Browser tests: a Vite build of a page, a static server on 127.0.0.1 that also serves the
 * ffmpeg core from the same origin, and Debian's Chromium driven by playwright-core (installed
 * by .ci/run; never a downloaded browser).
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { build } from 'vite';
import { defaultCoreDir } from '../../wasm/node-core-assets.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export const buildPage = async (root: string, outDir: string): Promise<void> => {
  await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true, target: 'es2022' }, worker: { format: 'es' } });
};

/** Serves `dir` at `/` and the ffmpeg core at `/ffmpeg-core/`. */
export const serveStatic = async (dir: string): Promise<{ url: string; server: Server }> => {
  const coreDir = defaultCoreDir();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.startsWith('/ffmpeg-core/') ? join(coreDir, path.slice('/ffmpeg-core/'.length)) : join(dir, normalize(path).replace(/^(\.\.[/\\])+/, ''));
    try {
      const target = (await stat(file)).isDirectory() ? join(file, 'index.html') : file;
      res.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream' });
      res.end(await readFile(target));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`, server };
};

/** The built inspector (test/global-setup.ts) served on 127.0.0.1, with `files` chosen in a new page, analysed. */
export const openInspector = async (files: readonly string[], viewport = { width: 1440, height: 900 }) => {
  const { server, url } = await serveStatic(inject('inspectorDist'));
  const browser = await openBrowser();
  const page = await browser.newPage({ viewport });
  await page.goto(url);
  await page.setInputFiles('#files', [...files]);
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 60_000 });
  return {
    page,
    close: async () => {
      await browser.close();
      server.close();
    },
  };
};

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });

/** A suite's pages, each in a context of its own, on the worker's Chromium; `close` ends them, not the browser. */
export type TestBrowser = {
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  newPage(options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
};

let worker: Promise<Browser> | undefined;

/**
 * Chromium started once per test worker (vitest.config.ts: a worker runs its files in one
 * process) instead of once per suite; suites share nothing in it but the process, every page
 * living in its own context (cookies, storage, cache). Playwright ends it with the worker
 * (its launch handles the signals and the exit); a browser that went away is started again.
 */
export const openBrowser = async (): Promise<TestBrowser> => {
  worker ??= launchChromium().then((b) => {
    b.on('disconnected', () => {
      worker = undefined;
    });
    return b;
  });
  const browser = await worker;
  const contexts = new Set<BrowserContext>();
  const newContext = async (options?: BrowserContextOptions) => {
    const context = await browser.newContext(options);
    contexts.add(context);
    context.on('close', () => contexts.delete(context));
    return context;
  };
  return {
    newContext,
    newPage: async (options) => (await newContext(options)).newPage(),
    close: async () => {
      await Promise.all([...contexts].map((c) => c.close()));
    },
  };
};
