/**
 * Span names, attribute names and event names of Conveyor's own spans. Names follow the
 * OpenTelemetry messaging semantic conventions where one fits (`messaging.*`, `error.type`);
 * the rest live under `conveyor.`.
 */

/** Instrumentation scope (tracer name) of the spans the API creates. */
export const API_TRACER = 'conveyor-api';
/** Instrumentation scope (tracer name) of the spans the workers create. */
export const WORKER_TRACER = 'conveyor-worker';

/** `messaging.system` of every job span: the queue is Conveyor's own, on Redis. */
export const MESSAGING_SYSTEM = 'conveyor';

export const ATTR = {
  messagingSystem: 'messaging.system',
  messagingOperationType: 'messaging.operation.type',
  messagingOperationName: 'messaging.operation.name',
  messagingDestinationName: 'messaging.destination.name',
  messagingMessageId: 'messaging.message.id',
  messagingClientId: 'messaging.client.id',
  errorType: 'error.type',
  jobPriority: 'conveyor.job.priority',
  jobMaxAttempts: 'conveyor.job.max_attempts',
  jobAttempt: 'conveyor.job.attempt',
  jobOutcome: 'conveyor.job.outcome',
  jobNextAttempt: 'conveyor.job.next_attempt',
  jobRetryAt: 'conveyor.job.retry_at',
  jobProgress: 'conveyor.job.progress',
  jobErrorRetryable: 'conveyor.job.error.retryable',
  connectorType: 'conveyor.connector.type',
  httpRequestMethod: 'http.request.method',
  httpResponseStatusCode: 'http.response.status_code',
  urlFull: 'url.full',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  peerService: 'peer.service',
  rejectedOperation: 'conveyor.rejected_operation',
} as const;

/** Values of `messaging.operation.type` from the messaging conventions. */
export const OPERATION_TYPE = {
  send: 'send',
  process: 'process',
} as const;

/** Events on the process span, in the order a job's attempt can record them. */
export const JOB_EVENT = {
  claimed: 'job claimed',
  started: 'job started',
  progress: 'job progress',
  completed: 'job completed',
  retryScheduled: 'job retry scheduled',
  failed: 'job failed',
  cancelled: 'job cancelled',
  leaseLost: 'job lease lost',
  released: 'job released',
  connectorAborted: 'connector aborted',
  writeRejected: 'job write rejected',
} as const;

/** Values of `conveyor.job.outcome` on the process span. */
export type JobOutcome = 'completed' | 'retry' | 'failed' | 'cancelled' | 'lease_lost' | 'released' | 'rejected';

/** Span name of a job submission: `submit <service>`. */
export function submitSpanName(service: string): string {
  return `submit ${service}`;
}

/** Span name of one attempt at a job in a worker: `process <service>`. */
export function processSpanName(service: string): string {
  return `process ${service}`;
}

/** Span name of the connector's work on one attempt: `execute <service>`. */
export function connectorSpanName(service: string): string {
  return `execute ${service}`;
}

/** Span name of a connector's request to its service: `<method> <route>`, as the HTTP conventions name client spans. */
export function httpClientSpanName(method: string, route: string): string {
  return `${method} ${route}`;
}
