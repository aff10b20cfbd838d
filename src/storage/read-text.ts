/** A small object's whole body: bytes (a peaks file), or UTF-8 text (event JSON, a stored timeline). */
import type { ObjectStore } from './object-store.ts';

export const readObjectBytes = async (store: ObjectStore, key: string): Promise<Buffer<ArrayBuffer>> => {
  const { body } = await store.get(key);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

export const readObjectText = async (store: ObjectStore, key: string): Promise<string> => (await readObjectBytes(store, key)).toString('utf8');
