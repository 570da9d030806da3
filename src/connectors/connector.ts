import type { Logger } from '../logger';

/** The part of a job that a connector receives. */
export interface ConnectorJob {
  id: string;
  service: string;
  payload: Record<string, unknown>;
  requirements: Record<string, unknown> | null;
  attempt: number;
  maxAttempts: number;
}

export interface JobContext {
  /** Aborted when the job is cancelled, its lease is lost or the worker shuts down. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** Records progress from 0 to 100; rejects once the job was cancelled or its lease lost. */
  reportProgress(percent: number, message?: string): Promise<void>;
}

/**
 * Runs jobs for the services it offers. `process` returns the job's result (any JSON value)
 * or throws. A ConnectorError states whether a retry may help, and any other error is retried.
 */
export interface Connector {
  readonly type: string;
  readonly services: readonly string[];
  process(job: ConnectorJob, context: JobContext): Promise<unknown>;
  close?(): Promise<void>;
}
