import { jobView } from '../../src/api/job-view';
import type { Job } from '../../src/queue/job';

/** Fields of the job record that differ on every run: ids, the worker and every timestamp. */
const RUN_FIELDS = new Set(['id', 'worker_id', 'created_at', 'updated_at', 'assigned_at', 'started_at', 'finished_at', 'retry_at']);

/** Fields that name the service or carry what only its connector understands. */
const CONNECTOR_FIELDS = new Set(['service_required', 'payload', 'connector', 'progress_message']);

/**
 * Normalizers of the fields whose values depend on the connector. Each keeps only what every
 * connector shares, because the MockConnector and a real connector report progress in different
 * steps, return results of different shapes and fail with their own error kinds and messages.
 */
const NORMALIZERS: Record<string, (value: unknown) => string> = {
  progress: (value) => (value === 100 ? '100' : 'below 100'),
  result: (value) => (value === null || value === undefined ? 'none' : 'present'),
  error: (value) => (value ? `retryable=${(value as { retryable: unknown }).retryable}` : 'none'),
};

/**
 * Renders a job's record, as the API returns it, and its status history as lines such as
 * `job "greeting" attempt: 2`, leaving out what differs between runs or connectors. Fields
 * keep the order of the API's record, so a new field shows up in the comparison by itself.
 */
export function jobLines(name: string, job: Job | null, statuses: readonly string[]): string[] {
  const prefix = `job "${name}"`;
  if (!job) return [`${prefix}: not found`];

  const lines: string[] = [];
  for (const [field, value] of Object.entries(jobView(job))) {
    if (RUN_FIELDS.has(field) || CONNECTOR_FIELDS.has(field)) continue;
    const normalize = NORMALIZERS[field];
    lines.push(`${prefix} ${field}: ${normalize ? normalize(value) : JSON.stringify(value)}`);
  }
  lines.push(`${prefix} statuses: ${statuses.join(' > ')}`);
  return lines;
}
