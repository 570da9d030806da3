import type { JobQueue } from './job-queue';

export interface WorkerRecord {
  worker_id: string;
  test_phase: string;
  connector_type: string;
  capabilities: string[];
  status: string;
  current_job_id: string | null;
  hostname: string;
  pid: number;
  heartbeat_at: string;
}

/** Lists registered workers; ids whose registration expired are dropped from the set. */
export async function listWorkers(queue: JobQueue): Promise<WorkerRecord[]> {
  const ids = await queue.redis.smembers(queue.keys.workers());
  if (ids.length === 0) return [];

  const pipeline = queue.redis.pipeline();
  for (const id of ids) pipeline.hgetall(queue.keys.worker(id));
  const replies = (await pipeline.exec()) ?? [];

  const records: WorkerRecord[] = [];
  const expired: string[] = [];
  replies.forEach(([error, hash], index) => {
    const fields = hash as Record<string, string>;
    if (error || !fields || !fields.worker_id) {
      expired.push(ids[index]);
      return;
    }
    records.push({
      worker_id: fields.worker_id,
      test_phase: fields.test_phase,
      connector_type: fields.connector_type,
      capabilities: JSON.parse(fields.capabilities ?? '[]') as string[],
      status: fields.status,
      current_job_id: fields.current_job_id || null,
      hostname: fields.hostname,
      pid: Number(fields.pid),
      heartbeat_at: new Date(Number(fields.heartbeat_at)).toISOString(),
    });
  });

  if (expired.length > 0) await queue.redis.srem(queue.keys.workers(), ...expired);
  return records.sort((a, b) => a.worker_id.localeCompare(b.worker_id));
}
