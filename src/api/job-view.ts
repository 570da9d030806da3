import type { Job } from '../queue/job';

/** Converts a job to the API's representation: snake_case fields and ISO timestamps. */
export function jobView(job: Job) {
  return {
    id: job.id,
    service_required: job.service,
    status: job.status,
    priority: job.priority,
    payload: job.payload,
    requirements: job.requirements,
    attempt: job.attempt,
    max_attempts: job.maxAttempts,
    progress: job.progress,
    progress_message: job.progressMessage,
    result: job.result,
    error: job.error,
    worker_id: job.workerId,
    connector: job.connector,
    created_at: isoTime(job.createdAt),
    updated_at: isoTime(job.updatedAt),
    assigned_at: isoTime(job.assignedAt),
    started_at: isoTime(job.startedAt),
    finished_at: isoTime(job.finishedAt),
    retry_at: job.status === 'pending' ? isoTime(job.runAt) : null,
  };
}

export type JobView = ReturnType<typeof jobView>;

function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
