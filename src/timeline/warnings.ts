/**
 * Reading the timeline's meeting-level warnings, which are sentences or coded objects
 * (types.ts `TimelineWarning`): the one place that turns either into a line of text. Pure.
 */
import type { TimelineWarning } from './types.ts';

/** The warning as one line: a sentence as it is, a coded warning as `CODE: message`. */
export const warningText = (warning: TimelineWarning): string => (typeof warning === 'string' ? warning : `${warning.code}: ${warning.message}`);

/** The warning's code, or null for a sentence. */
export const warningCode = (warning: TimelineWarning): string | null => (typeof warning === 'string' ? null : warning.code);
