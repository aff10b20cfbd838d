/**
 * Node edge of the prober: a file on disk, read in place.
 */
import { FilePathSource } from 'mediabunny';
import { probeMedia, type ProbeOptions, type ProbeResult } from './probe-media.ts';

export const probeFile = (file: string, path: string, options: ProbeOptions = {}): Promise<ProbeResult> =>
  probeMedia(file, new FilePathSource(path), options);
