/** A small object's whole body as UTF-8 text (event JSON, a stored timeline). */
import type { ObjectStore } from './object-store.ts';

export const readObjectText = async (store: ObjectStore, key: string): Promise<string> => {
  const { body } = await store.get(key);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};
