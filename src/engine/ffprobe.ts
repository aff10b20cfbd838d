/**
 * ffprobe through the engine. The core's ffprobe entry point never sets an exit code (it always
 * returns -1 even on success in @ffmpeg/core 0.12, measured), so success is judged by the JSON it writes.
 */
import { TracksError } from '../errors.ts';
import type { FfprobeJson, RunResult } from './engine.ts';
import { logTail } from './log-tail.ts';

export const ffprobeArgs = (name: string): string[] => ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', name, '-o', 'probe.json'];

export const parseFfprobeResult = (name: string, result: RunResult): FfprobeJson => {
  const out = result.outputs.find((o) => o.name === 'probe.json');
  const text = out?.bytes ? new TextDecoder().decode(out.bytes) : '';
  let json: FfprobeJson | undefined;
  try {
    json = text ? (JSON.parse(text) as FfprobeJson) : undefined;
  } catch {
    json = undefined;
  }
  if (!json || (!json.streams?.length && !json.format)) {
    const reason = logTail(result.log, 3, 'ffprobe found no streams');
    throw new TracksError('MEDIA_UNREADABLE', `${name}: not a readable media file (${reason}).`, { data: { file: name, log: result.log.slice(-20) } });
  }
  return json;
};
