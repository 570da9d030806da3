import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { node } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

import type { Job } from '../src/queue/job';
import { ATTR, JOB_EVENT } from '../src/telemetry/attributes';
import { traceProcessing, traceSubmission, type JobTraceContext } from '../src/telemetry/job-tracing';

const exporter = new InMemorySpanExporter();
// Registers the provider with an async context manager, as the Node SDK does.
new node.NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).register();

function storedJob(traceContext: JobTraceContext, overrides: Partial<Job> = {}): Job {
  return {
    id: 'b3c1e6a2-6f1e-4a8e-9d2c-2f1f0d0c4a11',
    service: 'mock',
    priority: 70,
    payload: {},
    requirements: null,
    maxAttempts: 3,
    attempt: 1,
    status: 'assigned',
    progress: 0,
    progressMessage: null,
    result: null,
    error: null,
    workerId: 'mock-1',
    connector: null,
    createdAt: 0,
    updatedAt: 0,
    assignedAt: 0,
    startedAt: null,
    finishedAt: null,
    runAt: null,
    leaseExpiresAt: null,
    traceparent: traceContext.traceparent ?? null,
    tracestate: traceContext.tracestate ?? null,
    ...overrides,
  };
}

async function submit(): Promise<Job> {
  return traceSubmission('mock', async (traceContext) => storedJob(traceContext));
}

function span(name: string): ReadableSpan {
  const found = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
  assert.ok(found, `span "${name}" was not recorded; recorded: ${exporter.getFinishedSpans().map((candidate) => candidate.name).join(', ')}`);
  return found;
}

const options = { workerId: 'mock-1', connectorType: 'mock' };

describe('traceSubmission', () => {
  beforeEach(() => exporter.reset());

  it('stores the submit span context', async () => {
    const job = await submit();
    const submitSpan = span('submit mock');
    assert.equal(job.traceparent, `00-${submitSpan.spanContext().traceId}-${submitSpan.spanContext().spanId}-01`);
  });

  it('records a PRODUCER span with job attributes', async () => {
    await submit();
    const submitSpan = span('submit mock');
    assert.equal(submitSpan.kind, SpanKind.PRODUCER);
    assert.equal(submitSpan.attributes[ATTR.messagingOperationType], 'send');
    assert.equal(submitSpan.attributes[ATTR.messagingMessageId], 'b3c1e6a2-6f1e-4a8e-9d2c-2f1f0d0c4a11');
    assert.equal(submitSpan.attributes[ATTR.jobPriority], 70);
  });

  it('records a failed submission as an error', async () => {
    await assert.rejects(traceSubmission('mock', async () => Promise.reject(new Error('Redis is down'))), /Redis is down/);
    assert.deepEqual(span('submit mock').status, { code: SpanStatusCode.ERROR, message: 'Redis is down' });
  });
});

describe('traceProcessing', () => {
  beforeEach(() => exporter.reset());

  it('continues the submission trace', async () => {
    const job = await submit();
    await traceProcessing(job, options, async (jobTrace) => jobTrace.completed());

    const submitSpan = span('submit mock');
    const processSpan = span('process mock');
    assert.equal(processSpan.kind, SpanKind.CONSUMER);
    assert.equal(processSpan.spanContext().traceId, submitSpan.spanContext().traceId);
    assert.equal(processSpan.parentSpanContext?.spanId, submitSpan.spanContext().spanId);
    assert.deepEqual(processSpan.links, []);
  });

  it('links to the submission in link mode', async () => {
    const job = await submit();
    await traceProcessing(job, { ...options, mode: 'link' }, async (jobTrace) => jobTrace.completed());

    const submitSpan = span('submit mock');
    const processSpan = span('process mock');
    assert.notEqual(processSpan.spanContext().traceId, submitSpan.spanContext().traceId);
    assert.equal(processSpan.parentSpanContext, undefined);
    assert.equal(processSpan.links[0].context.spanId, submitSpan.spanContext().spanId);
  });

  it('starts a root span without context', async () => {
    await traceProcessing(storedJob({}), options, async (jobTrace) => jobTrace.completed());
    assert.equal(span('process mock').parentSpanContext, undefined);
  });

  it('ignores an invalid traceparent', async () => {
    await traceProcessing(storedJob({ traceparent: 'not-a-traceparent' }), options, async (jobTrace) => jobTrace.completed());
    assert.equal(span('process mock').parentSpanContext, undefined);
  });

  it('nests the connector span', async () => {
    await traceProcessing(storedJob({}), options, (jobTrace) => jobTrace.runConnector(async () => 'done'));
    assert.equal(span('execute mock').parentSpanContext?.spanId, span('process mock').spanContext().spanId);
    assert.equal(span('execute mock').kind, SpanKind.INTERNAL);
  });

  it('records a connector error', async () => {
    await traceProcessing(storedJob({}), options, async (jobTrace) => {
      await assert.rejects(jobTrace.runConnector(async () => Promise.reject(new Error('HTTP 500'))));
    });
    assert.deepEqual(span('execute mock').status, { code: SpanStatusCode.ERROR, message: 'HTTP 500' });
  });

  it('records an aborted connector as an event', async () => {
    const controller = new AbortController();
    controller.abort();
    await traceProcessing(storedJob({}), options, async (jobTrace) => {
      await assert.rejects(jobTrace.runConnector(async () => Promise.reject(new Error('aborted')), controller.signal));
    });
    assert.notEqual(span('execute mock').status.code, SpanStatusCode.ERROR);
    assert.deepEqual(span('execute mock').events.map((event) => event.name), [JOB_EVENT.connectorAborted]);
  });

  it('records each retry with its attempt', async () => {
    const job = storedJob({}, { attempt: 2 });
    const error = { message: 'rate limited', kind: 'rate_limited', retryable: true };
    await traceProcessing(job, options, async (jobTrace) => jobTrace.retryScheduled(error, Date.UTC(2026, 0, 1), new Error('rate limited')));

    const processSpan = span('process mock');
    const retry = processSpan.events.find((event) => event.name === JOB_EVENT.retryScheduled);
    assert.equal(retry?.attributes?.[ATTR.jobAttempt], 2);
    assert.equal(retry?.attributes?.[ATTR.jobNextAttempt], 3);
    assert.equal(retry?.attributes?.[ATTR.jobRetryAt], '2026-01-01T00:00:00.000Z');
    assert.deepEqual(processSpan.status, { code: SpanStatusCode.ERROR, message: 'rate limited' });
    assert.equal(processSpan.attributes[ATTR.jobOutcome], 'retry');
  });

  it('marks a lost lease as an error', async () => {
    await traceProcessing(storedJob({}), options, async (jobTrace) => jobTrace.aborted('lease_lost'));
    assert.equal(span('process mock').status.code, SpanStatusCode.ERROR);
    assert.equal(span('process mock').attributes[ATTR.jobOutcome], 'lease_lost');
  });

  it('records a release without error', async () => {
    await traceProcessing(storedJob({}), options, async (jobTrace) => jobTrace.released());
    assert.equal(span('process mock').status.code, SpanStatusCode.UNSET);
    assert.equal(span('process mock').attributes[ATTR.jobOutcome], 'released');
  });

  it('treats a write rejected by cancellation as cancelled', async () => {
    await traceProcessing(storedJob({}), options, async (jobTrace) => jobTrace.writeRejected('complete', new Error('job was cancelled'), true));
    assert.equal(span('process mock').status.code, SpanStatusCode.UNSET);
    assert.equal(span('process mock').attributes[ATTR.jobOutcome], 'cancelled');
  });

  it('marks another rejected write as an error', async () => {
    await traceProcessing(storedJob({}), options, async (jobTrace) => jobTrace.writeRejected('complete', new Error('not the owner'), false));
    assert.deepEqual(span('process mock').status, { code: SpanStatusCode.ERROR, message: 'complete rejected: not the owner' });
  });

  it('records an escaping exception', async () => {
    await assert.rejects(traceProcessing(storedJob({}), options, async () => Promise.reject(new Error('boom'))), /boom/);
    assert.deepEqual(span('process mock').status, { code: SpanStatusCode.ERROR, message: 'boom' });
  });
});
