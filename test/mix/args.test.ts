/**
 * The generated ffmpeg arguments, asserted exactly (the pipeline tests run them for real).
 */
import { describe, expect, it } from 'vitest';
import { renderTrackArgs } from '../../src/mix/render-args.ts';
import { mixdownArgs } from '../../src/mix/mixdown-args.ts';

describe('render arguments', () => {
  it('keep container timestamps, fill every hole from 0, and cap at the packet end (wav)', () => {
    expect(renderTrackArgs({ offsetMs: 8134, containerOffsetMs: 8134, durationMs: 20014 }, 'wav', { inputName: 'in0', outputName: 'out0.wav' })).toEqual([
      '-loglevel', 'warning', '-nostats', '-copyts', '-i', 'in0', '-map', '0:a:0', '-vn', '-sn', '-dn',
      '-af', 'aresample=16000:async=1:min_hard_comp=0.001:first_pts=0', '-ac', '1', '-t', '20.014',
      '-c:a', 'pcm_s16le', '-f', 'wav', 'out0.wav',
    ]);
  });

  it('re-encode a track that starts at 0 too (opus default, 48 kHz)', () => {
    expect(renderTrackArgs({ offsetMs: 0, containerOffsetMs: 0, durationMs: 16021 }, 'opus', { inputName: 'in1', outputName: 'out1.webm' })).toEqual([
      '-loglevel', 'warning', '-nostats', '-copyts', '-i', 'in1', '-map', '0:a:0', '-vn', '-sn', '-dn',
      '-af', 'aresample=48000:async=1:min_hard_comp=0.001:first_pts=0', '-ac', '1', '-t', '16.021',
      '-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', '-f', 'webm', 'out1.webm',
    ]);
  });

  it('shift by -itsoffset when the track was placed by the file name', () => {
    const args = renderTrackArgs({ offsetMs: 5209, containerOffsetMs: null, durationMs: 8209 }, 'flac', { inputName: 'i', outputName: 'o.flac' });
    expect(args.slice(3, 8)).toEqual(['-copyts', '-itsoffset', '5.209', '-i', 'i']);
    expect(args.slice(-5)).toEqual(['-c:a', 'flac', '-f', 'flac', 'o.flac']);
  });
});

describe('mixdown arguments', () => {
  it('sum without 1/N scaling or dropout renormalization, limit peaks without delay, CBR 128k mono 48 kHz', () => {
    expect(mixdownArgs(['a.wav', 'b.wav'], 20014, 'mix.mp3')).toEqual([
      '-loglevel', 'warning', '-nostats', '-i', 'a.wav', '-i', 'b.wav',
      '-filter_complex', '[0:a][1:a]amix=inputs=2:normalize=0:duration=longest:dropout_transition=0,aresample=48000,alimiter=limit=0.95:level=0:latency=1[mix]',
      '-map', '[mix]', '-ac', '1', '-ar', '48000', '-t', '20.014', '-c:a', 'libmp3lame', '-b:a', '128k', '-f', 'mp3', 'mix.mp3',
    ]);
  });

  it('add EBU R128 loudness normalization only when asked, and honour bitrate and rate', () => {
    const args = mixdownArgs(['a'], 1000, 'm.mp3', { bitrateKbps: 64, sampleRateHz: 44100, loudnorm: { integratedLufs: -23, truePeakDb: -2, lra: 7 } });
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(
      '[0:a]amix=inputs=1:normalize=0:duration=longest:dropout_transition=0,aresample=44100,alimiter=limit=0.95:level=0:latency=1,loudnorm=I=-23:TP=-2:LRA=7,aresample=44100[mix]',
    );
    expect(args).toContain('64k');
    expect(() => mixdownArgs([], 1000, 'm.mp3')).toThrow(RangeError);
  });
});
