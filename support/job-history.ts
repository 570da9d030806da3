import type { JobQueue } from '../src/queue/job-queue';

export interface JobEvent {
  /** When the event was recorded, in ms, from the stream entry id. */
  at: number;
  type: string;
  data: Record<string, unknown>;
}

/** Reads a job's recorded events, oldest first, straight from Redis. */
export async function jobHistory(queue: JobQueue, jobId: string): Promise<JobEvent[]> {
  const entries = await queue.redis.xrange(queue.keys.events(jobId), '-', '+');
  return entries.map(([id, fields]) => ({
    at: Number(id.split('-')[0]),
    type: fields[fields.indexOf('type') + 1],
    data: JSON.parse(fields[fields.indexOf('data') + 1]) as Record<string, unknown>,
  }));
}

export function statusesOf(events: readonly JobEvent[]): string[] {
  return events.filter((event) => event.type === 'status').map((event) => String(event.data.status));
}
