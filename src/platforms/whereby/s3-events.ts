/**
 * S3 event notifications as SQS delivers them (docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html): `Records[]` with form-encoded
 * keys, the one-off `s3:TestEvent`, and the SNS envelope when S3 → SNS → SQS is used.
 */
import { z } from 'zod';

const S3Record = z.looseObject({
  eventVersion: z.string().regex(/^2\./, 'eventVersion must be 2.x'),
  eventName: z.string(),
  s3: z.looseObject({
    bucket: z.looseObject({ name: z.string().min(1) }),
    object: z.looseObject({ key: z.string().min(1), size: z.number().optional(), eTag: z.string().optional(), sequencer: z.string().optional() }),
  }),
});

export type S3ObjectCreated = { bucket: string; key: string; sizeBytes: number | null };
export type ParsedS3Message = { kind: 'test' } | { kind: 'records'; created: S3ObjectCreated[]; ignored: number };

/** Keys arrive form-encoded: `+` is a space (so a literal `+` is `%2B`). */
export const decodeS3EventKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, '%20'));

/** Parses one SQS message body; throws with the reason when it is not an S3 event at all. */
export const parseS3EventMessage = (body: string): ParsedS3Message => {
  let json: unknown = JSON.parse(body);
  if ((json as { Type?: unknown })?.Type === 'Notification' && typeof (json as { Message?: unknown }).Message === 'string') {
    json = JSON.parse((json as { Message: string }).Message);
  }
  if ((json as { Event?: unknown })?.Event === 's3:TestEvent') return { kind: 'test' };
  const records = z.object({ Records: z.array(S3Record).min(1) }).parse(json).Records;
  const created = records
    .filter((r) => r.eventName.startsWith('ObjectCreated:'))
    .map((r) => ({ bucket: r.s3.bucket.name, key: decodeS3EventKey(r.s3.object.key), sizeBytes: r.s3.object.size ?? null }));
  return { kind: 'records', created, ignored: records.length - created.length };
};
