/**
 * Decodes any rendered output to 16-bit mono PCM with the wasm engine, for sample-level checks.
 */
import type { Engine } from '../../src/engine/engine.ts';
import { readWav, type Pcm } from './wav.ts';

export const decodeToPcm = async (engine: Engine, path: string, sampleRateHz = 16000): Promise<Pcm> => {
  const result = await engine.run({
    args: ['-loglevel', 'error', '-i', 'in', '-ac', '1', '-ar', String(sampleRateHz), '-c:a', 'pcm_s16le', '-f', 'wav', 'out.wav'],
    inputs: [{ name: 'in', path }],
    outputs: [{ name: 'out.wav' }],
  });
  if (result.exitCode !== 0) throw new Error(`cannot decode ${path}: ${result.log.join('\n')}`);
  return readWav(result.outputs[0]!.bytes!);
};
