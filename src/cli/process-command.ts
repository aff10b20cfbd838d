/**
 * `reflector-tracks process <file...> --out <dir>`: the whole pipeline on files.
 */
import { availableParallelism } from 'node:os';
import { lazyEngine } from '../engine/lazy-engine.ts';
import { TracksError } from '../errors.ts';
import { createNodeEngine } from '../engine/node-engine.ts';
import { DEFAULT_LOUDNORM } from '../mix/mixdown-args.ts';
import { isTrackFormat, TRACK_FORMATS } from '../mix/track-format.ts';
import { sortInputFiles } from '../pipeline/input-files.ts';
import { processFiles } from '../pipeline/process-files.ts';
import type { Timeline } from '../timeline/types.ts';
import { numberOption, parseCommandArgs, type Command } from './command.ts';
import { endProgress, stderrProgress } from './progress.ts';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { transcriptionConfig } from '../config/transcription-config.ts';
import { inputPaths } from './input-paths.ts';
import { checkOutDir, pruneEarlierOutputs, TOP_LEVEL_OUTPUTS } from './out-dir.ts';
import { didYouMean } from './suggest.ts';
import { meetingWarnings } from '../timeline/format-table.ts';

const help = `Usage: reflector-tracks process <file or recording folder...> --out <dir> [options]

A folder stands for every file in it (Daily's event JSON among them is found by its content); a
folder holding the tracks of several recordings is refused. Places every track on the meeting timeline, fills muted gaps with silence, and writes
  <dir>/tracks/<input name>.<ext>   one per audio track, from meeting time 0 to its end (the input's
                                    extension dropped, unless two inputs would then collide)
  <dir>/mixdown.mp3                 all tracks mixed, the whole meeting
  <dir>/timeline.json               offsets, gaps, speech, crosstalk, warnings, skipped inputs (meeting time, ms)
With --transcribe, each track's speech also goes to the transcriber (TRANSCRIPTION_API_URL, an
OpenAI-compatible /audio/transcriptions) and the words, merged on the meeting timeline, land in
  <dir>/transcript.json, transcript.vtt, transcript.srt, transcript.txt
Inputs without audio (Daily cam-video) and missing or unreadable files are skipped with a reason.
Exits non-zero only when no track could be processed. A reused <dir> keeps only this run's
outputs: tracks/*, mixdown.mp3, timeline.json and transcript.* of an earlier run are removed;
anything else in it is left alone.

Options:
  --out <dir>               output directory (required)
  --track-format <f>        ${TRACK_FORMATS.join(' | ')} (default opus: Opus/WebM 48 kHz, the source's own packets
                            when it is Opus, else encoded mono; wav/flac: 16 kHz mono)
  --bitrate <kbps>          mixdown MP3 bitrate, constant (default 128)
  --loudnorm                EBU R128 loudness normalization of the mixdown (default off)
  --loudnorm-target <LUFS>  integrated loudness target (default ${DEFAULT_LOUDNORM.integratedLufs})
  --reencode                decode and encode Opus renders again instead of copying the source's packets
  --gap-threshold-ms <ms>   shortest silence reported as a gap (default 100; all holes are filled)
  --workers <n>             ffmpeg worker threads (default: available cores)
  --bleed-gate              lower each track by 30 dB in the mixdown where its mic carries only others' voices
                            (bleed, a speakerphone's echo); the track files are never edited
  --transcribe              transcribe every track's speech (needs TRANSCRIPTION_API_URL; see the README
                            for TRANSCRIPTION_API_KEY, _MODEL, _LANGUAGE, _CONCURRENCY, _TIMEOUT_SECONDS)
  --quiet                   no progress on stderr`;

export const processCommand: Command = {
  name: 'process',
  summary: 'render tracks, mixdown and timeline from recording files',
  help,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      out: { type: 'string', short: 'o' },
      'track-format': { type: 'string' },
      bitrate: { type: 'string' },
      loudnorm: { type: 'boolean' },
      'loudnorm-target': { type: 'string' },
      'gap-threshold-ms': { type: 'string' },
      workers: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      transcribe: { type: 'boolean' },
      reencode: { type: 'boolean' },
      'bleed-gate': { type: 'boolean' },
    });
    if (!values.out) throw new TracksError('USAGE', '--out <dir> is required');
    await checkOutDir(values.out);
    const paths = await inputPaths(positionals);
    const trackFormat = values['track-format'] ?? 'opus';
    if (!isTrackFormat(trackFormat))
      throw new TracksError(
        'USAGE',
        `--track-format must be one of ${TRACK_FORMATS.join(', ')}, got "${trackFormat}"${didYouMean(trackFormat, TRACK_FORMATS)}`,
      );
    const bitrateKbps = numberOption(values.bitrate, 'bitrate', 128, [8, 320]);
    const target = numberOption(values['loudnorm-target'], 'loudnorm-target', DEFAULT_LOUDNORM.integratedLufs, [-70, -5]);
    const gapThresholdMs = numberOption(values['gap-threshold-ms'], 'gap-threshold-ms', 100, [1, 600_000]);
    const workers = values.workers === undefined ? undefined : numberOption(values.workers, 'workers', 1, [1, 64]);
    // Checked before any work: a missing transcriber should not cost a render.
    const transcriber = values.transcribe ? transcriptionConfig() : null;
    if (values.transcribe && !transcriber)
      throw new TracksError('USAGE', '--transcribe needs TRANSCRIPTION_API_URL (an OpenAI-compatible base URL, e.g. http://host:8000/v1)');

    // The pool starts while the inputs are read and probed; renders wait for it.
    const engine = lazyEngine(workers ?? availableParallelism(), () => createNodeEngine({ workers }), { startNow: true });
    const started = performance.now();
    try {
      // Daily's event JSON among the files is the timeline's, by content.
      const sorted = await sortInputFiles(paths, { gapThresholdMs });
      const result = await processFiles(sorted.media, {
        ...sorted.options,
        engine,
        outDir: values.out,
        trackFormat,
        reencode: values.reencode ?? false,
        mixdown: { bitrateKbps, loudnorm: values.loudnorm ? { ...DEFAULT_LOUDNORM, integratedLufs: target } : false, bleedGate: values['bleed-gate'] ?? false },
        onProgress: stderrProgress(values.quiet ?? false),
      }).catch(async (error) => {
        // A run with no track still wrote its timeline (what was skipped and why): nothing older may stand beside it.
        if (TracksError.isError(error, 'PIPELINE_NO_TRACKS')) await pruneEarlierOutputs(values.out!, new Set(['timeline.json']));
        throw error;
      });
      endProgress();
      const written = new Set([
        'mixdown.mp3',
        'timeline.json',
        ...result.timeline.tracks.flatMap((t) => [t.output, t.peaks].filter((name): name is string => !!name)),
      ]);
      if (transcriber) for (const name of TOP_LEVEL_OUTPUTS) if (name.startsWith('transcript.')) written.add(name);
      await pruneEarlierOutputs(values.out, written);
      process.stdout.write(
        `${summary(result.timeline)}\nwrote ${result.timelinePath}, ${result.mixdownPath} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
      if (transcriber) {
        // Loaded only to transcribe: the `openai` package alone takes ~250 ms to import (measured).
        const [{ transcribeTimeline }, { createTranscriber }, { transcriptFiles }, { speakerOfTimeline }] = await Promise.all([
          import('../transcription/transcribe-timeline.ts'),
          import('../transcription/transcriber.ts'),
          import('../transcription/transcript-files.ts'),
          import('../recordings/speaker-names.ts'),
        ]);
        const { transcript, stats } = await transcribeTimeline({
          engine,
          transcriber: createTranscriber(transcriber),
          timeline: result.timeline,
          renderedPath: (track) => join(values.out!, track.output!),
          speakerOf: speakerOfTimeline(result.timeline),
          workDir: values.out,
          onProgress: values.quiet ? undefined : (done, total) => process.stderr.write(`\rtranscribing ${done}/${total} chunks`),
        });
        endProgress();
        for (const file of transcriptFiles(transcript)) await writeFile(join(values.out, file.name), file.body);
        process.stdout.write(
          `transcribed ${transcript.words.length} words in ${transcript.segments.length} segments: sent ${(stats.audioSentMs / 1000).toFixed(1)} s of ` +
            `${(stats.tracksMs / 1000).toFixed(1)} s of tracks in ${stats.requests} request(s), dropped ${stats.droppedBleedWords} word(s) heard in bleed; wrote ${join(values.out, 'transcript.json')} (.vtt, .srt, .txt)\n`,
        );
      }
      return 0;
    } finally {
      endProgress();
      await engine.close();
    }
  },
};

const summary = (timeline: Timeline): string => {
  const lines = [`${timeline.tracks.length} track(s), meeting ${(timeline.durationMs / 1000).toFixed(3)} s`];
  for (const t of timeline.tracks) for (const w of t.warnings) lines.push(`warning: ${t.file}: ${w}`);
  for (const w of meetingWarnings(timeline)) lines.push(`warning: ${w}`);
  for (const s of timeline.skipped) lines.push(`skipped: ${s.file}: ${s.reason}`);
  return lines.join('\n');
};
