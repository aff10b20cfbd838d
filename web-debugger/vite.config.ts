/**
 * The inspector's build. The ffmpeg core is served from the app's own origin, never a CDN: in
 * dev from node_modules, in the build copied into `ffmpeg-core/` beside the app (the loader
 * verifies both files against wasm/manifest.json before use).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const coreDir = join(dirname(createRequire(import.meta.url).resolve('@ffmpeg/core')), '..', 'esm');
const CORE_FILES = ['ffmpeg-core.js', 'ffmpeg-core.wasm'];

const ffmpegCore = (): Plugin => ({
  name: 'reflector-ffmpeg-core',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      const name = req.url?.match(/\/ffmpeg-core\/([^?]+)/)?.[1];
      if (!name || !CORE_FILES.includes(name)) return next();
      res.setHeader('content-type', name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
      res.end(readFileSync(join(coreDir, name)));
    });
  },
  generateBundle() {
    for (const name of CORE_FILES) this.emitFile({ type: 'asset', fileName: `ffmpeg-core/${name}`, source: readFileSync(join(coreDir, name)) });
  },
});

export default defineConfig({
  root: dirname(fileURLToPath(import.meta.url)),
  // Served by the server under /debugger/, and standalone at / (npm run debugger): relative URLs work for both.
  base: './',
  plugins: [ffmpegCore()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@ffmpeg/ffmpeg', '@ffmpeg/util'] },
});
