/**
 * The job contract shared by the API, the Lua scripts and the workers.
 * test/job-contract.test.ts pins these values against the scripts.
 */

export const JOB_STATUSES = ['pending', 'assigned', 'in_progress', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export const MIN_PRIORITY = 0;
export const MAX_PRIORITY = 100;
export const DEFAULT_PRIORITY = 50;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const MAX_ATTEMPTS_LIMIT = 25;

/** A service name becomes part of Redis key names, so it is kept to a safe alphabet. */
export const SERVICE_NAME_PATTERN = '^[a-z0-9][a-z0-9_.-]{0,63}$';

/**
 * Computes the pending-set score: lower scores are claimed first, so a higher priority
 * sorts first and, within one priority, the older submission (lower sequence) does.
 * Scores stay below 2^53, so doubles hold them exactly.
 */
export function pendingScore(priority: number, sequence: number): number {
  return (MAX_PRIORITY - priority) * PRIORITY_SCORE_STEP + sequence;
}

/** The gap between two priorities in the pending-set score; the sequence must stay below it. */
export const PRIORITY_SCORE_STEP = 1e12;

export interface JobError {
  message: string;
  kind: string;
  retryable: boolean;
  service?: string;
  status?: number;
}

export interface Job {
  id: string;
  service: string;
  priority: number;
  payload: Record<string, unknown>;
  requirements: Record<string, unknown> | null;
  maxAttempts: number;
  attempt: number;
  status: JobStatus;
  progress: number;
  progressMessage: string | null;
  result: unknown;
  error: JobError | null;
  workerId: string | null;
  /** Type of the connector that ran the latest attempt. */
  connector: string | null;
  createdAt: number;
  updatedAt: number;
  assignedAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  runAt: number | null;
  leaseExpiresAt: number | null;
  traceparent: string | null;
  tracestate: string | null;
}

export interface NewJob {
  service: string;
  payload: Record<string, unknown>;
  priority?: number;
  maxAttempts?: number;
  requirements?: Record<string, unknown>;
  traceparent?: string;
  tracestate?: string;
}

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
