/**
 * comlink 4.4.2 ships `dist/esm/node-adapter.mjs` with its types in `node-adapter.d.ts`, a name
 * TypeScript does not pair with a `.mjs` file (it looks for `.d.mts`). Re-declare it here.
 */
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  export interface NodeEndpoint {
    postMessage(message: unknown, transfer?: unknown[]): void;
    on(type: string, listener: (...args: never[]) => void, options?: object): void;
    off(type: string, listener: (...args: never[]) => void, options?: object): void;
    start?: () => void;
  }
  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
