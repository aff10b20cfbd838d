// Node's module compile cache for the CLI: compiled (and type-stripped) modules kept between runs,
// so a command does not strip and compile ~200 TypeScript modules every time it starts: `--help`
// 0.26–0.27 → 0.08 s, `inspect` of four 15-minute tracks 0.81–0.84 → 0.40–0.53 s (measured from the shell on the
// README's benchmark machine, cold cache against warm).
//
// Kept beside the install (node_modules/.cache/reflector-tracks, the usual place for a tool's
// cache) rather than in os.tmpdir(), which a reboot may empty: `npm ci` fills it (the package's
// `prepare` script runs bin/warm-compile-cache.mjs), so even the first command after an install
// starts warm. NODE_COMPILE_CACHE, when set, wins; where the install is read-only the temporary
// directory serves instead. The variable is set for the process so the engine's worker threads,
// which load the speech modules, use the same cache. Node < 22.1 has no such API.
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The oldest Node that strips TypeScript types itself (unflagged since 22.18), as package.json's engines says. */
export const NODE_NEEDED = '≥ 22.18';

/** Whether this Node runs the sources as they are (bin/reflector-tracks.mjs refuses any other). */
export const nodeRunsTypeScript = () => {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 18);
};

export const enableProjectCompileCache = () => {
  if (!module.enableCompileCache) return null;
  const preferred = process.env.NODE_COMPILE_CACHE ?? fileURLToPath(new URL('../node_modules/.cache/reflector-tracks/compile-cache', import.meta.url));
  let result = module.enableCompileCache(preferred);
  if (result.status === module.constants.compileCacheStatus.FAILED) result = module.enableCompileCache(join(tmpdir(), 'node-compile-cache'));
  if (result.directory) process.env.NODE_COMPILE_CACHE = result.directory;
  return result.directory ?? null;
};
