import { createHash } from 'node:crypto';

/**
 * Largest file or image, in bytes, whose content a job result carries inline as base64.
 * Results live in Redis and travel through the API with every read, so larger content is
 * described by its size and SHA-256 digest only.
 */
export const MAX_INLINE_BYTES = 256 * 1024;

export interface BinarySummary {
  size_bytes: number;
  sha256: string;
  /** Present when the content is at most MAX_INLINE_BYTES and the job asked for it. */
  data_base64?: string;
}

/** Describes binary content for a job result, inlining it only when asked and small enough. */
export function summariseBinary(data: Buffer, inline: boolean): BinarySummary {
  const summary: BinarySummary = { size_bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
  if (inline && data.length <= MAX_INLINE_BYTES) summary.data_base64 = data.toString('base64');
  return summary;
}
