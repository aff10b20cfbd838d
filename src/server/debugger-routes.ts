/**
 * The track timeline inspector at /debugger/: the built app (built by `serve` on first start, or
 * `npm run build:debugger`) served as static files, the ffmpeg core included, so it works
 * offline once loaded.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic, type H3 } from 'h3';
import { apiError } from './errors.ts';

export const DEBUGGER_DIST = fileURLToPath(new URL('../../web-debugger/dist/', import.meta.url));

/**
 * Only our own origin, plus what ffmpeg.wasm needs: compiling wasm ('wasm-unsafe-eval') and the
 * blob: URLs this origin makes of the verified core (wasm/browser-core-assets.ts), of rendered
 * audio and of exports. Blob URLs are bound to the origin that created them.
 */
/** Set on every /debugger/ answer by the app (app.ts). */
export const INSPECTOR_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self' blob:",
  "media-src 'self' blob:",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const registerDebuggerRoutes = (app: H3, dist = DEBUGGER_DIST) => {
  app.get('/debugger/**', async (event) => {
    // Relative asset URLs need the trailing slash.
    if (new URL(event.req.url).pathname === '/debugger') return new Response(null, { status: 308, headers: { location: '/debugger/' } });
    const root = resolve(dist);
    const ready = await stat(join(root, 'index.html')).catch(() => null);
    if (!ready) return apiError(404, 'NOT_BUILT', 'the inspector is not built: run `npm run build:debugger`');
    return serveStatic(event, {
      getMeta: async (id) => {
        const path = resolve(root, normalize(id.replace(/^\/debugger\/?/, '') || 'index.html'));
        if (path !== root && !path.startsWith(root + sep)) return undefined;
        const info = await stat(path).catch(() => null);
        // h3's serveStatic types files by the request path's extension (.js, .css, .wasm, …); only
        // `/debugger/` itself, which has none, needs saying that it is the HTML page.
        return info?.isFile() ? { size: info.size, mtime: info.mtime, ...(path.endsWith('.html') ? { type: 'text/html; charset=utf-8' } : {}) } : undefined;
      },
      getContents: (id) => readFile(resolve(root, normalize(id.replace(/^\/debugger\/?/, '') || 'index.html'))),
      fallthrough: false,
    });
  });
};
