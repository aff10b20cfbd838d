/**
 * Arguments that run a TypeScript script with this Node. The tests always run on a Node that strips
 * types (npm test puts the Node 24 that `npm ci` installs first on PATH; README "Set-up").
 */
export const tsScriptArgs = (script: string): string[] => [script];
