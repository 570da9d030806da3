import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

import type { Job, JobError } from '../queue/job';
import {
  API_TRACER,
  ATTR,
  connectorSpanName,
  JOB_EVENT,
  MESSAGING_SYSTEM,
  OPERATION_TYPE,
  processSpanName,
  submitSpanName,
  WORKER_TRACER,
  type JobOutcome,
} from './attributes';

/**
 * The relation of a worker's process span to the submission. `continue` makes it a child in
 * the submission's trace. `link` starts a trace of its own that links to the submission, for
 * deployments whose traces would otherwise grow too long.
 */
export type TraceMode = 'continue' | 'link';

/** The W3C trace context stored on a job, as NewJob takes it. */
export interface JobTraceContext {
  traceparent?: string;
  tracestate?: string;
}

// Jobs store W3C trace context whatever propagators the process configured.
const propagator = new W3CTraceContextPropagator();

const setter = {
  set(carrier: Record<string, string>, key: string, value: string) {
    carrier[key] = value;
  },
};

const getter = {
  get(carrier: JobTraceContext, key: string): string | undefined {
    if (key === 'traceparent') return carrier.traceparent;
    if (key === 'tracestate') return carrier.tracestate;
    return undefined;
  },
  keys: () => ['traceparent', 'tracestate'],
};

/**
 * Runs a job submission inside a PRODUCER span `submit <service>`. `submit` receives the
 * span's trace context to store on the job; the span gets the stored job's attributes.
 */
export async function traceSubmission(service: string, submit: (traceContext: JobTraceContext) => Promise<Job>): Promise<Job> {
  const tracer = trace.getTracer(API_TRACER);
  const attributes: Attributes = {
    [ATTR.messagingSystem]: MESSAGING_SYSTEM,
    [ATTR.messagingOperationType]: OPERATION_TYPE.send,
    [ATTR.messagingOperationName]: 'submit',
    [ATTR.messagingDestinationName]: service,
  };

  return tracer.startActiveSpan(submitSpanName(service), { kind: SpanKind.PRODUCER, attributes }, async (span) => {
    try {
      const carrier: Record<string, string> = {};
      propagator.inject(context.active(), carrier, setter);
      const job = await submit({ traceparent: carrier.traceparent, tracestate: carrier.tracestate });
      span.setAttributes(jobAttributes(job));
      return job;
    } catch (error) {
      recordError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export interface ProcessTraceOptions {
  workerId: string;
  connectorType: string;
  mode?: TraceMode;
}

/**
 * Runs one attempt at a job inside a CONSUMER span `process <service>` that continues the
 * trace stored on the job, or links to it in `link` mode. The span ends when `run` settles,
 * and an exception that escapes `run` is recorded as an error.
 */
export async function traceProcessing<T>(job: Job, options: ProcessTraceOptions, run: (jobTrace: JobTrace) => Promise<T>): Promise<T> {
  const submission = propagator.extract(ROOT_CONTEXT, { traceparent: job.traceparent ?? undefined, tracestate: job.tracestate ?? undefined }, getter);
  const submissionSpan = trace.getSpanContext(submission);
  const linked = options.mode === 'link' && submissionSpan !== undefined;
  const parent = linked ? ROOT_CONTEXT : submission;
  const links: Link[] = linked ? [{ context: submissionSpan, attributes: { [ATTR.messagingMessageId]: job.id } }] : [];

  const attributes: Attributes = {
    ...jobAttributes(job),
    [ATTR.messagingOperationType]: OPERATION_TYPE.process,
    [ATTR.messagingOperationName]: 'process',
    [ATTR.messagingClientId]: options.workerId,
    [ATTR.jobAttempt]: job.attempt,
    [ATTR.connectorType]: options.connectorType,
  };
  const span = trace.getTracer(WORKER_TRACER).startSpan(processSpanName(job.service), { kind: SpanKind.CONSUMER, attributes, links }, parent);
  const jobTrace = new JobTrace(span, job, options.connectorType);
  jobTrace.claimed();

  try {
    return await context.with(trace.setSpan(parent, span), () => run(jobTrace));
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** The process span of one attempt, with the events of the job's life in the worker. */
export class JobTrace {
  constructor(
    private readonly span: Span,
    private readonly job: Job,
    private readonly connectorType: string,
  ) {}

  claimed(): void {
    this.span.addEvent(JOB_EVENT.claimed, { [ATTR.jobAttempt]: this.job.attempt });
  }

  started(): void {
    this.span.addEvent(JOB_EVENT.started, { [ATTR.jobAttempt]: this.job.attempt });
  }

  progress(percent: number, message: string): void {
    this.span.addEvent(JOB_EVENT.progress, { [ATTR.jobProgress]: percent, 'conveyor.job.progress_message': message });
  }

  /**
   * Runs the connector inside an INTERNAL span `execute <service>`, a child of the process
   * span, so the connector's own spans and HTTP requests nest under it. An exception after
   * `signal` aborted is the job's cancellation or hand-back, so it is recorded as an event
   * instead of an error.
   */
  async runConnector<T>(run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const tracer = trace.getTracer(WORKER_TRACER);
    const attributes: Attributes = {
      [ATTR.connectorType]: this.connectorType,
      [ATTR.messagingMessageId]: this.job.id,
      [ATTR.jobAttempt]: this.job.attempt,
    };
    return tracer.startActiveSpan(connectorSpanName(this.job.service), { kind: SpanKind.INTERNAL, attributes }, async (span) => {
      try {
        return await run();
      } catch (error) {
        if (signal?.aborted) {
          span.addEvent(JOB_EVENT.connectorAborted, { 'exception.message': errorMessage(error) });
        } else {
          recordError(span, error);
        }
        throw error;
      } finally {
        span.end();
      }
    });
  }

  completed(): void {
    this.span.addEvent(JOB_EVENT.completed, { [ATTR.jobAttempt]: this.job.attempt });
    this.setOutcome('completed');
    this.span.setStatus({ code: SpanStatusCode.OK });
  }

  /** Records a retryable failure of this attempt and the retry it scheduled. */
  retryScheduled(error: JobError, retryAt: number, cause: unknown): void {
    this.span.addEvent(JOB_EVENT.retryScheduled, {
      [ATTR.jobAttempt]: this.job.attempt,
      [ATTR.jobNextAttempt]: this.job.attempt + 1,
      [ATTR.jobRetryAt]: new Date(retryAt).toISOString(),
      [ATTR.errorType]: error.kind,
    });
    this.recordJobError(error, cause, 'retry');
  }

  /** Records the failure that ended the job: permanent, or the last attempt. */
  failed(error: JobError, cause: unknown): void {
    this.span.addEvent(JOB_EVENT.failed, { [ATTR.jobAttempt]: this.job.attempt, [ATTR.errorType]: error.kind });
    this.recordJobError(error, cause, 'failed');
  }

  /** Records that the attempt stopped because the job was cancelled or its lease was lost. */
  aborted(reason: 'cancelled' | 'lease_lost'): void {
    this.span.addEvent(reason === 'cancelled' ? JOB_EVENT.cancelled : JOB_EVENT.leaseLost, { [ATTR.jobAttempt]: this.job.attempt });
    this.setOutcome(reason);
    if (reason === 'lease_lost') {
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: 'lease lost: the worker no longer owns the job' });
    }
  }

  /** Records that the worker handed the job back to pending for its shutdown. */
  released(): void {
    this.span.addEvent(JOB_EVENT.released, { [ATTR.jobAttempt]: this.job.attempt });
    this.setOutcome('released');
  }

  /** Records a write the queue rejected, such as a completion after the job was cancelled. */
  writeRejected(operation: string, error: unknown, cancelled: boolean): void {
    this.span.addEvent(JOB_EVENT.writeRejected, { [ATTR.rejectedOperation]: operation, 'exception.message': errorMessage(error) });
    if (cancelled) {
      this.aborted('cancelled');
      return;
    }
    this.setOutcome('rejected');
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: `${operation} rejected: ${errorMessage(error)}` });
  }

  private recordJobError(error: JobError, cause: unknown, outcome: JobOutcome): void {
    this.span.recordException(cause instanceof Error ? cause : error.message);
    this.span.setAttributes({ [ATTR.errorType]: error.kind, [ATTR.jobErrorRetryable]: error.retryable });
    this.setOutcome(outcome);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  }

  private setOutcome(outcome: JobOutcome): void {
    this.span.setAttribute(ATTR.jobOutcome, outcome);
  }
}

function jobAttributes(job: Job): Attributes {
  return {
    [ATTR.messagingSystem]: MESSAGING_SYSTEM,
    [ATTR.messagingDestinationName]: job.service,
    [ATTR.messagingMessageId]: job.id,
    [ATTR.jobPriority]: job.priority,
    [ATTR.jobMaxAttempts]: job.maxAttempts,
  };
}

/** Records an exception on a span and sets its status to ERROR with the exception's message. */
export function recordError(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
