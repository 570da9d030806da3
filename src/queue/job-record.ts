import { JOB_STATUSES, type Job, type JobError, type JobStatus } from './job';

/** Converts a job hash, as HGETALL returns it, to a Job. Throws on a hash that is not a job. */
export function parseJobHash(hash: Record<string, string>): Job {
  const status = hash.status as JobStatus;
  if (!hash.id || !JOB_STATUSES.includes(status)) {
    throw new Error(`Invalid job hash: id ${JSON.stringify(hash.id)}, status ${JSON.stringify(hash.status)}.`);
  }

  return {
    id: hash.id,
    service: hash.service,
    priority: Number(hash.priority),
    payload: JSON.parse(hash.payload) as Record<string, unknown>,
    requirements: hash.requirements ? (JSON.parse(hash.requirements) as Record<string, unknown>) : null,
    maxAttempts: Number(hash.max_attempts),
    attempt: Number(hash.attempt ?? 0),
    status,
    progress: Number(hash.progress ?? 0),
    progressMessage: hash.progress_message || null,
    result: hash.result === undefined ? null : JSON.parse(hash.result),
    error: hash.error ? (JSON.parse(hash.error) as JobError) : null,
    workerId: hash.worker_id || null,
    connector: hash.connector || null,
    createdAt: Number(hash.created_at),
    updatedAt: Number(hash.updated_at),
    assignedAt: optionalNumber(hash.assigned_at),
    startedAt: optionalNumber(hash.started_at),
    finishedAt: optionalNumber(hash.finished_at),
    runAt: optionalNumber(hash.run_at),
    leaseExpiresAt: optionalNumber(hash.lease_expires_at),
    traceparent: hash.traceparent || null,
    tracestate: hash.tracestate || null,
  };
}

/** Converts a flat field, value list, as a script returns HGETALL, to an object. */
export function pairsToHash(pairs: string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i < pairs.length; i += 2) {
    hash[pairs[i]] = pairs[i + 1];
  }
  return hash;
}

function optionalNumber(value: string | undefined): number | null {
  return value === undefined || value === '' ? null : Number(value);
}
