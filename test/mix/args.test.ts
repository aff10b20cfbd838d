/**
 * The generated ffmpeg arguments, asserted exactly (the pipeline tests run them for real).
 */
import { describe, expect, it } from 'vitest';
import { renderTrackArgs } from '../../src/mix/render-args.ts';
import { mixdownSegmentArgs } from '../../src/mix/mixdown-args.ts';
import { planMixdownSegments } from '../../src/mix/mixdown-segments.ts';
import { speechDecodeArgs } from '../../src/mix/opus-copy/speech-decode-args.ts';

describe('render arguments', () => {
  it('leave every hole to the resampler without fill options, and cut long ones with them', () => {
    const lateJoiner = { offsetMs: 40 * 60_000, containerOffsetMs: 40 * 60_000, endMs: 50 * 60_000 };
    expect(renderTrackArgs(lateJoiner, 'wav', { inputName: 'i', outputName: 'o.wav' })).toContain('-af');
    const pieced = renderTrackArgs(lateJoiner, 'wav', { inputName: 'i', outputName: 'o.wav' }, { packetGaps: [], decodedRateHz: 48000 });
    expect(pieced[pieced.indexOf('-filter_complex') + 1]).toBe(
      '[0:a:0]anull[p0];anullsrc=r=16000:cl=mono:nb_samples=1024,atrim=end_sample=38384000,aformat=sample_fmts=fltp:sample_rates=16000:channel_layouts=mono[s0];' +
        '[p0]atrim=start=2399:end=3000,apad=pad_dur=0.1,aresample=16000:async=1:min_hard_comp=0.001:first_pts=115152000:filter_size=16,asetnsamples=n=8192:p=0,apad=whole_len=9616000,' +
        'atrim=end_sample=9616000,asetpts=N/SR/TB,aformat=sample_fmts=fltp:sample_rates=16000:channel_layouts=mono[s1];[s0][s1]concat=n=2:v=0:a=1[track]',
    );
  });

  it('keep container timestamps, fill every hole from 0, and cap at the packet end (wav)', () => {
    expect(renderTrackArgs({ offsetMs: 8134, containerOffsetMs: 8134, endMs: 20014 }, 'wav', { inputName: 'in0', outputName: 'out0.wav' })).toEqual([
      '-loglevel',
      'warning',
      '-copyts',
      '-i',
      'in0',
      '-map',
      '0:a:0',
      '-vn',
      '-sn',
      '-dn',
      '-af',
      'aresample=16000:async=1:min_hard_comp=0.001:first_pts=0:filter_size=16,asetnsamples=n=8192:p=0,apad=whole_len=320224,atrim=end_sample=320224',
      '-ac',
      '1',
      '-t',
      '20.014',
      '-c:a',
      'pcm_s16le',
      '-f',
      'wav',
      'out0.wav',
    ]);
  });

  it('re-encode a track that starts at 0 too (opus default, 48 kHz)', () => {
    expect(renderTrackArgs({ offsetMs: 0, containerOffsetMs: 0, endMs: 16021 }, 'opus', { inputName: 'in1', outputName: 'out1.webm' })).toEqual([
      '-loglevel',
      'warning',
      '-copyts',
      '-i',
      'in1',
      '-map',
      '0:a:0',
      '-vn',
      '-sn',
      '-dn',
      '-af',
      'aresample=48000:async=1:min_hard_comp=0.001:first_pts=0:filter_size=16,asetnsamples=n=8192:p=0,apad=whole_len=769008,atrim=end_sample=769008',
      '-ac',
      '1',
      '-t',
      '16.021',
      '-c:a',
      'libopus',
      '-b:a',
      '32k',
      '-application',
      'voip',
      '-compression_level',
      '5',
      '-f',
      'webm',
      'out1.webm',
    ]);
  });

  it('shift by -itsoffset when the track was placed by the file name', () => {
    const args = renderTrackArgs({ offsetMs: 5209, containerOffsetMs: null, endMs: 8209 }, 'flac', { inputName: 'i', outputName: 'o.flac' });
    expect(args.slice(2, 7)).toEqual(['-copyts', '-itsoffset', '5.209', '-i', 'i']);
    expect(args.slice(-7)).toEqual(['-c:a', 'flac', '-sample_fmt', 's16', '-f', 'flac', 'o.flac']);
  });
});

describe('speech decode of a copied render', () => {
  it('decodes to 8 kHz mono alone, or splits the one decode into the 8 kHz tap and a 48 kHz mono WAV for the mixdown', () => {
    expect(speechDecodeArgs('c.webm', 's.pcm', 1500).join(' ')).toBe(
      '-loglevel warning -i c.webm -map 0:a:0 -af aformat=channel_layouts=mono,aresample=8000:filter_size=16 -t 1.500000 -c:a pcm_s16le -f s16le s.pcm',
    );
    expect(speechDecodeArgs('c.webm', 's.pcm', 1500, 'm.wav').join(' ')).toBe(
      '-loglevel warning -i c.webm -filter_complex [0:a:0]aformat=channel_layouts=mono,asplit=2[speech][mix];[speech]aresample=8000:filter_size=16[speech8k] ' +
        '-map [speech8k] -t 1.500000 -c:a pcm_s16le -f s16le s.pcm -map [mix] -t 1.500000 -c:a pcm_s16le -f wav m.wav',
    );
  });
});

describe('mixdown arguments', () => {
  const whole = { index: 0, seekMs: 0, trimStartSample: 1105, trimEndSample: 960_672, firstFrame: 0, frameCount: 834 };

  it('sum without 1/N scaling or dropout renormalization, limit peaks without delay, CBR 128k mono 48 kHz as bare frames', () => {
    expect(mixdownSegmentArgs(['a.wav', 'b.wav'], whole, 'mix.mp3')).toEqual([
      '-loglevel',
      'warning',
      '-i',
      'a.wav',
      '-i',
      'b.wav',
      '-filter_complex',
      '[0:a][1:a]amix=inputs=2:normalize=0:duration=longest:dropout_transition=0,' +
        'alimiter=limit=0.95:level=0:latency=1,aresample=48000:filter_size=16,atrim=start_sample=1105:end_sample=960672,asetpts=N/SR/TB[mix]',
      '-map',
      '[mix]',
      '-ac',
      '1',
      '-ar',
      '48000',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '128k',
      '-compression_level',
      '7',
      '-reservoir',
      '0',
      '-write_xing',
      '0',
      '-id3v2_version',
      '0',
      '-f',
      'mp3',
      'mix.mp3',
    ]);
  });

  it("tell LAME the bandwidth of tracks rendered below the mixdown's rate, and nothing for 48 kHz renders", () => {
    const args = mixdownSegmentArgs(['a.wav'], whole, 'm.mp3', {}, 16000);
    expect(args.slice(args.indexOf('-cutoff'), args.indexOf('-cutoff') + 2)).toEqual(['-cutoff', '8000']);
    expect(args.indexOf('-cutoff')).toBeLessThan(args.indexOf('m.mp3'));
    expect(mixdownSegmentArgs(['a.webm'], whole, 'm.mp3', {}, 48000)).not.toContain('-cutoff');
  });

  it('seek every input of a later segment to its pre-roll', () => {
    const args = mixdownSegmentArgs(['a', 'b'], { ...whole, seekMs: 1_799_000, trimStartSample: 47_999 }, 'm.mp3');
    expect(args.slice(2, 10)).toEqual(['-ss', '1799.000', '-i', 'a', '-ss', '1799.000', '-i', 'b']);
  });

  it('add EBU R128 loudness normalization only when asked, and honour bitrate and rate', () => {
    const args = mixdownSegmentArgs(['a'], whole, 'm.mp3', { bitrateKbps: 64, sampleRateHz: 44100, loudnorm: { integratedLufs: -23, truePeakDb: -2, lra: 7 } });
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(
      '[0:a]amix=inputs=1:normalize=0:duration=longest:dropout_transition=0,alimiter=limit=0.95:level=0:latency=1,aresample=44100:filter_size=16,' +
        'loudnorm=I=-23:TP=-2:LRA=7,aresample=44100,atrim=start_sample=1105:end_sample=960672,asetpts=N/SR/TB[mix]',
    );
    expect(args).toContain('64k');
    expect(() => mixdownSegmentArgs([], whole, 'm.mp3')).toThrow(RangeError);
  });
});

describe('mixdown segments', () => {
  it('split the meeting into whole frames whose decoded positions meet exactly', () => {
    const plan = planMixdownSegments(3_600_000, 2, 48000);
    const totalFrames = Math.ceil((3600 * 48000) / 1152);
    expect(plan.map((s) => s.frameCount).reduce((a, b) => a + b)).toBe(totalFrames);
    expect(plan[0]).toEqual({
      index: 0,
      seekMs: 0,
      trimStartSample: 1105,
      trimEndSample: (totalFrames / 2 + 2) * 1152,
      firstFrame: 0,
      frameCount: totalFrames / 2,
    });
    // Segment 1's local frame 2 decodes meeting frame totalFrames/2: its encoder input starts
    // 2 frames earlier, plus the LAME delay.
    const start1 = (totalFrames / 2 - 2) * 1152 + 1105;
    expect(plan[1]).toMatchObject({ firstFrame: 2, frameCount: totalFrames / 2, seekMs: Math.floor(start1 / 48 - 1000) });
    expect(plan[1]!.seekMs * 48 + plan[1]!.trimStartSample).toBe(start1);
    expect(plan[1]!.seekMs * 48 + plan[1]!.trimEndSample).toBe(3600 * 48000);
  });

  it('cut the last parts in halves when asked, still meeting frame by frame', () => {
    const totalFrames = Math.ceil((900 * 48000) / 1152);
    const plan = planMixdownSegments(900_000, 6, 48000, 2);
    const unit = totalFrames / 6;
    expect(plan.map((s) => s.frameCount)).toEqual([unit, unit, unit, unit, unit / 2, unit / 2, unit / 2, unit / 2].map(Math.floor));
    expect(plan.map((s) => s.frameCount).reduce((a, b) => a + b)).toBe(totalFrames);
    // Each segment's kept frames start where the previous one's end (LAME delay and warm-up included).
    let meetingFrame = 0;
    for (const s of plan) {
      expect(s.seekMs * 48 + s.trimStartSample).toBe((meetingFrame - s.firstFrame) * 1152 + 1105);
      meetingFrame += s.frameCount;
    }
    expect(plan.at(-1)!.seekMs * 48 + plan.at(-1)!.trimEndSample).toBe(900 * 48000);
  });

  it('keep short meetings in one segment', () => {
    expect(planMixdownSegments(2000, 4, 48000)).toHaveLength(1);
    expect(planMixdownSegments(2000, 4, 48000, 2)).toHaveLength(1);
  });
});
