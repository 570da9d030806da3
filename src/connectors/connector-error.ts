import type { JobError } from '../queue/job';

export interface ConnectorErrorOptions {
  service: string;
  kind: string;
  retryable: boolean;
  /** HTTP status of the service's response, when there was one. */
  status?: number;
  /** Delay the service asked for before a retry (Retry-After), in ms. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** A failure a connector has classified: retryable (a retry may succeed) or permanent. */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly service: string;
  readonly kind: string;
  readonly retryable: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(message: string, options: ConnectorErrorOptions) {
    super(message, { cause: options.cause });
    this.service = options.service;
    this.kind = options.kind;
    this.retryable = options.retryable;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  toJobError(): JobError {
    const error: JobError = { message: this.message, kind: this.kind, retryable: this.retryable, service: this.service };
    if (this.status !== undefined) error.status = this.status;
    return error;
  }
}
