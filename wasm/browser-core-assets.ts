/**
 * Fetches the ffmpeg.wasm core from the app's own origin (never a CDN), verifies the wasm against
 * the pinned manifest, and hands `@ffmpeg/ffmpeg` blob URLs of the verified bytes, so what runs
 * is exactly what was checked.
 */
import { TracksError } from '../src/errors.ts';
import { coreManifest, sha256Hex, type CoreAssetName } from './manifest.ts';

export type BrowserCoreUrls = { coreURL: string; wasmURL: string };

const fetchVerified = async (baseUrl: URL, name: CoreAssetName, type: string): Promise<string> => {
  const url = new URL(name, baseUrl);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new TracksError('ENGINE_ASSET_MISSING', `Could not fetch ffmpeg.wasm asset ${url.href}.`, { cause, data: { url: url.href } });
  }
  if (!response.ok) {
    throw new TracksError('ENGINE_ASSET_MISSING', `ffmpeg.wasm asset ${url.href} answered HTTP ${response.status}.`, { data: { url: url.href } });
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const expected = coreManifest.files[name].sha256;
  const actual = await sha256Hex(bytes);
  if (actual !== expected) {
    throw new TracksError(
      'ENGINE_ASSET_MISMATCH',
      `ffmpeg.wasm asset ${url.href} has sha256 ${actual}, expected ${expected} (${coreManifest.package}@${coreManifest.version}).`,
      { data: { url: url.href, actual, expected } },
    );
  }
  return URL.createObjectURL(new Blob([bytes], { type }));
};

/** `baseUrl` is the directory serving `ffmpeg-core.js` and `ffmpeg-core.wasm` (the ESM build). */
export const loadBrowserCoreUrls = async (baseUrl: URL): Promise<BrowserCoreUrls> => {
  const [coreURL, wasmURL] = await Promise.all([
    fetchVerified(baseUrl, 'ffmpeg-core.js', 'text/javascript'),
    fetchVerified(baseUrl, 'ffmpeg-core.wasm', 'application/wasm'),
  ]);
  return { coreURL, wasmURL };
};
