/**
 * The core assets are verified against wasm/manifest.json before anything runs.
 */
import { describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCoreDir, loadNodeCoreAssets } from '../../wasm/node-core-assets.ts';
import { coreManifest, sha256Hex } from '../../wasm/manifest.ts';
import { TracksError } from '../../src/errors.ts';

describe('core asset manifest', () => {
  it('pins the installed core: version and sha256 match', async () => {
    const pkg = JSON.parse(await readFile(join(defaultCoreDir(), '../../package.json'), 'utf8')) as { version: string };
    expect(pkg.version).toBe(coreManifest.version);
    const wasm = await readFile(join(defaultCoreDir(), 'ffmpeg-core.wasm'));
    expect(await sha256Hex(wasm)).toBe(coreManifest.files['ffmpeg-core.wasm'].sha256);
    const assets = await loadNodeCoreAssets();
    expect(WebAssembly.Module.exports(assets.wasmModule).length).toBeGreaterThan(10);
  });

  it('refuses a modified wasm with a message naming the file and both hashes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rt-core-'));
    await copyFile(join(defaultCoreDir(), 'ffmpeg-core.js'), join(dir, 'ffmpeg-core.js'));
    const wasm = await readFile(join(defaultCoreDir(), 'ffmpeg-core.wasm'));
    wasm[wasm.length - 1] = wasm.at(-1)! ^ 0xff;
    await writeFile(join(dir, 'ffmpeg-core.wasm'), wasm);
    const error = await loadNodeCoreAssets({ coreDir: dir }).catch((e: unknown) => e);
    expect(TracksError.isError(error, 'ENGINE_ASSET_MISMATCH')).toBe(true);
    expect((error as Error).message).toContain(join(dir, 'ffmpeg-core.wasm'));
    expect((error as Error).message).toContain(coreManifest.files['ffmpeg-core.wasm'].sha256);
  });

  it('reports a missing asset and how to fix it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rt-core-'));
    const error = await loadNodeCoreAssets({ coreDir: dir }).catch((e: unknown) => e);
    expect(TracksError.isError(error, 'ENGINE_ASSET_MISSING')).toBe(true);
    expect((error as Error).message).toMatch(/ffmpeg-core\.(js|wasm) is missing \(run `npm ci`\)/);
  });
});
