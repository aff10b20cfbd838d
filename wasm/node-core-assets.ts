/**
 * Locates, verifies and compiles the ffmpeg.wasm core for Node. Done once per engine: the compiled
 * `WebAssembly.Module` is handed to every worker, which then only instantiates it (~10 ms per
 * command instead of ~100 ms for a compile; measured by npm run bench:engine).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TracksError } from '../src/errors.ts';
import { createHash } from 'node:crypto';
import { coreManifest, type CoreAssetName } from './manifest.ts';

export type NodeCoreAssets = {
  coreJsUrl: string;
  wasmModule: WebAssembly.Module;
  version: string;
};

/**
 * The directory holding the ESM build of the core. `@ffmpeg/core`'s "main" is the UMD build; the
 * ESM glue (`export default createFFmpegCore`) sits beside it in dist/esm.
 */
export const defaultCoreDir = (): string => {
  const require = createRequire(import.meta.url);
  let umdEntry: string;
  try {
    umdEntry = require.resolve(coreManifest.package);
  } catch (cause) {
    throw new TracksError('ENGINE_ASSET_MISSING', `${coreManifest.package}@${coreManifest.version} is not installed (run \`npm ci\`).`, { cause });
  }
  return join(dirname(dirname(umdEntry)), 'esm');
};

const readAsset = async (dir: string, name: CoreAssetName): Promise<Uint8Array> => {
  const path = join(dir, name);
  try {
    return await readFile(path);
  } catch (cause) {
    throw new TracksError('ENGINE_ASSET_MISSING', `ffmpeg.wasm asset ${path} is missing (run \`npm ci\`).`, { cause, data: { path } });
  }
};

const verifyAsset = (dir: string, name: CoreAssetName, bytes: Uint8Array): void => {
  const path = join(dir, name);
  const expected = coreManifest.files[name];
  // node:crypto, not WebCrypto (manifest.ts's sha256Hex, which the browser uses): 20 ms against
  // 170 ms for the 32 MB core on every engine start (measured, Node 24).
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expected.sha256) {
    throw new TracksError(
      'ENGINE_ASSET_MISMATCH',
      `ffmpeg.wasm asset ${path} does not match wasm/manifest.json (${coreManifest.package}@${coreManifest.version}): ` +
        `sha256 ${actual} (${bytes.length} bytes), expected ${expected.sha256} (${expected.sizeBytes} bytes). ` +
        'Reinstall with `npm ci`, or update the manifest deliberately after a version bump.',
      { data: { path, actual, expected: expected.sha256 } },
    );
  }
};

/**
 * Verifies both assets against the manifest and compiles the wasm. V8 compiles off the main thread
 * while it hashes, so verification adds nothing to the start (the bytes are only compiled, never
 * run, before they are verified; a mismatch throws and the module is dropped).
 */
export const loadNodeCoreAssets = async (options: { coreDir?: string } = {}): Promise<NodeCoreAssets> => {
  const dir = options.coreDir ?? defaultCoreDir();
  const [js, wasmBytes] = await Promise.all([readAsset(dir, 'ffmpeg-core.js'), readAsset(dir, 'ffmpeg-core.wasm')]);
  const compiling = WebAssembly.compile(wasmBytes as Uint8Array<ArrayBuffer>);
  compiling.catch(() => {}); // awaited below unless verification throws first
  verifyAsset(dir, 'ffmpeg-core.js', js);
  verifyAsset(dir, 'ffmpeg-core.wasm', wasmBytes);
  const wasmModule = await compiling;
  return { coreJsUrl: pathToFileURL(join(dir, 'ffmpeg-core.js')).href, wasmModule, version: coreManifest.version };
};
