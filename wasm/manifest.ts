/**
 * The pinned ffmpeg.wasm core: package version and the sha256 of each asset. Loading refuses any
 * other bytes, so a dependency bump or a corrupted install fails loudly instead of changing the
 * audio silently. After a deliberate bump, write the new version and each file's `sha256sum` and
 * size (node_modules/@ffmpeg/core/dist/esm/ffmpeg-core.{js,wasm}) into manifest.json.
 */
import manifestJson from './manifest.json' with { type: 'json' };

export type CoreAssetName = 'ffmpeg-core.js' | 'ffmpeg-core.wasm';

export type CoreManifest = {
  package: string;
  version: string;
  ffmpegVersion: string;
  license: string;
  files: Record<CoreAssetName, { sha256: string; sizeBytes: number }>;
};

export const coreManifest: CoreManifest = manifestJson as CoreManifest;

/** Lower-case hex sha256 of `bytes`, via Web Crypto (same code in Node and the browser). */
export const sha256Hex = async (bytes: Uint8Array): Promise<string> => {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
};
