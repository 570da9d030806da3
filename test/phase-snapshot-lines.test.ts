import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

import type { Job } from '../src/queue/job';
import { ATTR, JOB_EVENT } from '../src/telemetry/attributes';
import { jobLines } from '../support/phase-diff/job-lines';
import { spanLines } from '../support/phase-diff/span-lines';

function job(overrides: Partial<Job> = {}): Job {
  return {
    id: 'b3c1e6a2-6f1e-4a8e-9d2c-2f1f0d0c4a11',
    service: 'mock',
    priority: 50,
    payload: { delay_ms: 10 },
    requirements: null,
    maxAttempts: 3,
    attempt: 1,
    status: 'completed',
    progress: 100,
    progressMessage: 'step 3 of 3',
    result: { connector: 'mock' },
    error: null,
    workerId: 'mock-1',
    connector: 'mock',
    createdAt: 1_000,
    updatedAt: 2_000,
    assignedAt: 1_100,
    startedAt: 1_200,
    finishedAt: 2_000,
    runAt: null,
    leaseExpiresAt: null,
    traceparent: '00-aef0a07e8fc619e3799102b1ca857e79-1cc5edc93e694f11-01',
    tracestate: null,
    ...overrides,
  };
}

/** Records the spans of one completed job as the API, a worker and its connector would. */
function recordJobSpans(service: string, options: { serviceCalls: number; jobId: string; workerId: string; progressReports: number }): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');
  const start = (name: string, kind: SpanKind, parent: Span | null, attributes: Attributes = {}) =>
    tracer.startSpan(name, { kind, attributes }, parent ? trace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT);

  const client = start('POST', SpanKind.CLIENT, null, { 'url.full': 'http://127.0.0.1:35023/api/jobs', 'server.port': 35023 });
  const server = start('POST', SpanKind.SERVER, client, { 'url.path': '/api/jobs', 'server.port': 35023, 'http.response.status_code': 201 });
  const submit = start(`submit ${service}`, SpanKind.PRODUCER, server, { [ATTR.messagingDestinationName]: service, [ATTR.messagingMessageId]: options.jobId, [ATTR.jobPriority]: 50 });
  const process = start(`process ${service}`, SpanKind.CONSUMER, submit, {
    [ATTR.messagingMessageId]: options.jobId,
    [ATTR.messagingClientId]: options.workerId,
    [ATTR.connectorType]: service,
    [ATTR.jobAttempt]: 1,
  });
  process.addEvent(JOB_EVENT.claimed, { [ATTR.jobAttempt]: 1 });
  for (let report = 1; report <= options.progressReports; report++) {
    process.addEvent(JOB_EVENT.progress, { [ATTR.jobProgress]: report * 10, 'conveyor.job.progress_message': `step ${report}` });
  }
  const execute = start(`execute ${service}`, SpanKind.INTERNAL, process, { [ATTR.connectorType]: service, [ATTR.jobAttempt]: 1 });
  for (let call = 0; call < options.serviceCalls; call++) {
    const request = start('POST /chat/completions', SpanKind.CLIENT, execute, { [ATTR.peerService]: service });
    start('POST', SpanKind.SERVER, request).end();
    request.end();
  }
  execute.end();
  process.addEvent(JOB_EVENT.completed, { [ATTR.jobAttempt]: 1 });
  process.setStatus({ code: SpanStatusCode.OK });
  process.end();
  submit.end();
  server.end();
  client.end();
  return exporter.getFinishedSpans();
}

describe('phase snapshot of a job record', () => {
  it('leaves out ids, workers, times, service and payload', () => {
    const text = jobLines('greeting', job(), ['pending', 'assigned', 'in_progress', 'completed']).join('\n');

    for (const left of ['b3c1e6a2', 'mock', 'delay_ms', 'step 3 of 3', 'created_at', 'finished_at', 'worker_id', 'retry_at']) {
      assert.doesNotMatch(text, new RegExp(left), `the snapshot should leave out ${left}`);
    }
    assert.match(text, /^job "greeting" attempt: 1$/m);
    assert.match(text, /^job "greeting" max_attempts: 3$/m);
    assert.match(text, /^job "greeting" statuses: pending > assigned > in_progress > completed$/m);
  });

  it('reduces progress, result and error to what connectors share', () => {
    const failed = jobLines('refused', job({ status: 'failed', progress: 40, result: null, error: { message: 'openai returned 400', kind: 'http_400', retryable: false, service: 'openai', status: 400 } }), []);

    assert.ok(failed.includes('job "refused" progress: below 100'));
    assert.ok(failed.includes('job "refused" result: none'));
    assert.ok(failed.includes('job "refused" error: retryable=false'));
    assert.doesNotMatch(failed.join('\n'), /http_400|openai/);
  });

  it('is equal for a mock job and a real connector job', () => {
    const statuses = ['pending', 'assigned', 'in_progress', 'completed'];
    const real = job({ id: 'other', service: 'openai', connector: 'openai', workerId: 'openai-3', payload: { model: 'gpt-4o-mini' }, result: { message: 'Hello' }, progressMessage: null, createdAt: 5 });

    assert.deepEqual(jobLines('greeting', real, statuses), jobLines('greeting', job(), statuses));
  });

  it('names a job that is gone', () => {
    assert.deepEqual(jobLines('lost', null, []), ['job "lost": not found']);
  });
});

describe('phase snapshot of a job trace', () => {
  const mockLines = spanLines('greeting', 'mock', recordJobSpans('mock', { serviceCalls: 0, jobId: 'job-1', workerId: 'mock-1', progressReports: 3 }));

  it('is equal for a mock job and a real connector job', () => {
    const openaiLines = spanLines('greeting', 'openai', recordJobSpans('openai', { serviceCalls: 2, jobId: 'job-2', workerId: 'openai-2', progressReports: 1 }));

    assert.deepEqual(openaiLines, mockLines);
  });

  it('starts at the API request and names spans without the service', () => {
    assert.equal(mockLines[0], 'span "greeting" POST [server] status=UNSET');
    assert.ok(mockLines.includes('span "greeting" POST > submit <service> > process <service> (attempt 1) [consumer] status=OK'));
    assert.ok(mockLines.includes('span "greeting" POST > submit <service> > process <service> (attempt 1) > execute <service> [internal] status=UNSET'));
    assert.ok(!mockLines.some((line) => line.includes('[client]')), 'no CLIENT span is left');
  });

  it('leaves out ids, ports and connector attributes', () => {
    const text = mockLines.join('\n');

    for (const left of ['job-1', 'mock-1', 'server.port', ATTR.connectorType, ATTR.messagingDestinationName, 'progress_message']) {
      assert.ok(!text.includes(left), `the snapshot should leave out ${left}`);
    }
    assert.ok(mockLines.includes('span "greeting" POST > submit <service> attribute conveyor.job.priority=50'));
  });

  it('keeps events in order and collapses repeated progress', () => {
    const events = mockLines.filter((line) => line.includes(' event: ')).map((line) => line.slice(line.indexOf(' event: ') + 8));

    assert.deepEqual(events, ['job claimed conveyor.job.attempt=1', 'job progress', 'job completed conveyor.job.attempt=1']);
  });

  it('shows a difference in the attempt span', () => {
    const spans = recordJobSpans('mock', { serviceCalls: 0, jobId: 'job-3', workerId: 'mock-2', progressReports: 0 });
    const lines = spanLines('greeting', 'mock', spans);

    assert.notDeepEqual(lines, mockLines);
    assert.ok(!lines.some((line) => line.includes('job progress')));
  });
});
