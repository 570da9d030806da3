import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { AssertionError } from 'chai';

import { isTerminal, type Job } from '../../src/queue/job';
import { ATTR } from '../../src/telemetry/attributes';
import type { JobWorld } from '../../worlds/job-world';
import { eventually } from '../eventually';
import { spanRecorder } from './span-recorder';
import { parentSpanId, renderSpanTrees } from './span-tree';

/**
 * The spans of one job: its submission's trace and, when workers link instead of continuing
 * it, the traces of its attempts.
 */
export class JobTraceView {
  constructor(
    readonly job: Job,
    readonly spans: readonly ReadableSpan[],
  ) {}

  get traceId(): string | null {
    return this.job.traceparent?.split('-')[1] ?? null;
  }

  submitSpan(): ReadableSpan {
    const spans = this.spans.filter((span) => span.kind === SpanKind.PRODUCER && span.attributes[ATTR.messagingMessageId] === this.job.id);
    if (spans.length !== 1) throw new AssertionError(`expected 1 submit span (PRODUCER) for job ${this.job.id}, found ${spans.length}`);
    return spans[0];
  }

  /** Returns the process spans of the job's attempts, ordered by attempt. */
  processSpans(): ReadableSpan[] {
    return this.spans
      .filter((span) => span.kind === SpanKind.CONSUMER && span.attributes[ATTR.messagingMessageId] === this.job.id)
      .sort((a, b) => Number(a.attributes[ATTR.jobAttempt]) - Number(b.attributes[ATTR.jobAttempt]));
  }

  processSpan(attempt: number): ReadableSpan {
    const span = this.processSpans().find((candidate) => candidate.attributes[ATTR.jobAttempt] === attempt);
    if (!span) throw new AssertionError(`expected a process span for attempt ${attempt} of job ${this.job.id}`);
    return span;
  }

  parentOf(span: ReadableSpan): ReadableSpan | undefined {
    return this.spans.find((candidate) => candidate.spanContext().spanId === parentSpanId(span));
  }

  childrenOf(span: ReadableSpan): ReadableSpan[] {
    return this.spans.filter((candidate) => parentSpanId(candidate) === span.spanContext().spanId);
  }

  descendantsOf(span: ReadableSpan): ReadableSpan[] {
    return this.childrenOf(span).flatMap((child) => [child, ...this.descendantsOf(child)]);
  }

  eventNames(span: ReadableSpan): string[] {
    return span.events.map((event) => event.name);
  }

  render(): string {
    return renderSpanTrees(this.spans);
  }
}

/** Returns the recorded spans of a job, now, without waiting. */
export function readJobTrace(job: Job): JobTraceView {
  return new JobTraceView(job, spanRecorder.spansOfJob(job.id, job.traceparent?.split('-')[1]));
}

export interface TraceAssertionOptions {
  /** Wait for the job to finish first (default). Turn off for a job that is meant to wait. */
  finished?: boolean;
}

/**
 * Waits until job `name` has finished and the process span of its last attempt has ended,
 * then runs `check` on its trace, retrying briefly for spans that end just after the job's
 * status changes. A failure shows the spans the job's trace did contain.
 */
export async function assertJobTrace(world: JobWorld, name: string, check: (trace: JobTraceView) => void, options: TraceAssertionOptions = {}): Promise<void> {
  const id = world.jobId(name);
  const queue = world.requireQueue();
  let latest: JobTraceView | null = null;

  try {
    await eventually(
      async () => {
        const job = await queue.get(id);
        if (!job) throw new AssertionError(`job "${name}" (${id}) is not in Redis`);
        latest = readJobTrace(job);
        if (options.finished === false) return;
        if (!isTerminal(job.status)) throw new AssertionError(`job "${name}" is still ${job.status}`);
        if (job.attempt > 0) latest.processSpan(job.attempt);
      },
      { timeoutMs: 10_000 },
    );
    await eventually(() => check(readJobTrace(latest!.job)), { timeoutMs: 1_000 });
  } catch (error) {
    const spans = latest ? (latest as JobTraceView).render() : '(the job was not found)';
    if (error instanceof Error) error.message = `Trace of job "${name}": ${error.message}\n\nRecorded spans of the job:\n${spans}`;
    throw error;
  }
}
