/**
 * Who is speaking on each track: the name Daily's event JSON gives the track (`track-added`
 * `displayName`), else the display name the platform gave the participant (Daily's
 * `participant.joined` `user_name`, keyed by the session id that also names the raw-track file),
 * else "Speaker N" in order of first appearance. Pure.
 */
export const speakerNames = (
  tracks: ReadonlyArray<{ participant_id: string | null; offset_ms: number | null; display_name?: string | null }>,
  knownNames: ReadonlyMap<string, string>,
): Map<string, string> => {
  const names = new Map<string, string>();
  let unnamed = 0;
  const ordered = [...tracks].filter((t) => t.participant_id).sort((a, b) => (a.offset_ms ?? Infinity) - (b.offset_ms ?? Infinity));
  for (const track of ordered) {
    const id = track.participant_id!;
    if (names.has(id)) continue;
    const fromEvents = ordered.find((t) => t.participant_id === id && t.display_name)?.display_name;
    names.set(id, fromEvents ?? knownNames.get(id) ?? `Speaker ${++unnamed}`);
  }
  return names;
};

/**
 * The speaker of each track of a timeline: `speakerNames` over its tracks, where a track without a
 * participant id is its own speaker (keyed by its file). `knownNames`: the platform's names of
 * the meeting's participants (the service); the CLI has none.
 */
export const speakerOfTimeline = (
  timeline: { tracks: ReadonlyArray<{ file: string; participantId: string | null; offsetMs: number; displayName: string | null }> },
  knownNames: ReadonlyMap<string, string> = new Map(),
) => {
  const names = speakerNames(
    timeline.tracks.map((t) => ({ participant_id: t.participantId ?? t.file, offset_ms: t.offsetMs, display_name: t.displayName })),
    knownNames,
  );
  return (track: { file: string; participantId: string | null }): string => names.get(track.participantId ?? track.file) ?? track.file;
};
