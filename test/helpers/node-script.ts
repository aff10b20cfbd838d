/**
 * Arguments that run a TypeScript script with this Node: as it is where Node strips types
 * (≥ 22.18), through tsx on older Node (the same rule as bin/reflector-tracks.mjs).
 */
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
export const NODE_STRIPS_TYPES = major > 22 || (major === 22 && minor >= 18);

export const tsScriptArgs = (script: string): string[] => (NODE_STRIPS_TYPES ? [script] : ['--import', 'tsx', script]);
