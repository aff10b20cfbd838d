/**
 * Which containers are WebM: the probe's container name (mediabunny's: `WebM`, `Matroska`) of
 * Matroska or its WebM subset, which Daily's raw tracks are. One rule for the Opus packet scanner
 * (probe-media.ts), the timeline's clocks (build-timeline.ts) and the copied render (copy-render.ts).
 */
export const isWebmContainer = (container: string): boolean => /webm|matroska/i.test(container);
