import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect } from 'chai';

import { ATTR, connectorSpanName, JOB_EVENT, MESSAGING_SYSTEM, processSpanName, submitSpanName } from '../../src/telemetry/attributes';
import type { JobTraceView } from './job-trace';
import { KIND_NAMES } from './span-tree';

/** Checks that the submit span is a PRODUCER span under the API's request, with the job's attributes. */
export function expectSubmission(trace: JobTraceView): ReadableSpan {
  const { job } = trace;
  const submit = trace.submitSpan();
  expect(submit.name).to.equal(submitSpanName(job.service));
  expect(submit.instrumentationScope.name).to.equal('conveyor-api');
  expect(submit.spanContext().traceId, 'the job stores the trace id of its submission').to.equal(trace.traceId);
  expect(trace.job.traceparent?.split('-')[2], 'the job stores the submit span as the parent of its attempts').to.equal(submit.spanContext().spanId);
  expect(submit.attributes).to.include({
    [ATTR.messagingSystem]: MESSAGING_SYSTEM,
    [ATTR.messagingOperationType]: 'send',
    [ATTR.messagingDestinationName]: job.service,
    [ATTR.messagingMessageId]: job.id,
    [ATTR.jobPriority]: job.priority,
    [ATTR.jobMaxAttempts]: job.maxAttempts,
  });
  expect(trace.parentOf(submit)?.kind, 'the submit span is a child of the API request').to.equal(SpanKind.SERVER);
  return submit;
}

/** Checks that an attempt is a CONSUMER span, a child of the submit span, that starts with its claim. */
export function expectAttempt(trace: JobTraceView, attempt: number, submit: ReadableSpan): ReadableSpan {
  const process = trace.processSpan(attempt);
  expect(process.name).to.equal(processSpanName(trace.job.service));
  expect(process.instrumentationScope.name).to.equal('conveyor-worker');
  expect(process.spanContext().traceId, `attempt ${attempt} continues the submission's trace`).to.equal(submit.spanContext().traceId);
  expect(process.parentSpanContext?.spanId, `attempt ${attempt} is a child of the submit span`).to.equal(submit.spanContext().spanId);
  expect(process.attributes).to.include({ [ATTR.messagingOperationType]: 'process', [ATTR.jobAttempt]: attempt, [ATTR.messagingMessageId]: trace.job.id });
  expect(trace.eventNames(process)[0], `attempt ${attempt} starts with its claim`).to.equal(JOB_EVENT.claimed);
  return process;
}

export function connectorSpanOf(trace: JobTraceView, process: ReadableSpan): ReadableSpan {
  const connector = trace.childrenOf(process).find((span) => span.name === connectorSpanName(trace.job.service));
  expect(connector, `the connector span "${connectorSpanName(trace.job.service)}" under ${process.name}`).to.not.equal(undefined);
  expect(connector!.kind).to.equal(SpanKind.INTERNAL);
  return connector!;
}

export function expectCompleted(trace: JobTraceView, process: ReadableSpan): void {
  expect(trace.eventNames(process)).to.include.ordered.members([JOB_EVENT.claimed, JOB_EVENT.started]);
  expect(trace.eventNames(process)).to.include(JOB_EVENT.completed);
  expect(process.attributes[ATTR.jobOutcome]).to.equal('completed');
  expect(process.status.code).to.equal(SpanStatusCode.OK);
  expect(connectorSpanOf(trace, process).status.code).to.not.equal(SpanStatusCode.ERROR);
}

/** Checks a retryable failure: the attempt is an ERROR, with an event naming the attempt and the next one. */
export function expectRetried(trace: JobTraceView, process: ReadableSpan, attempt: number): void {
  const retry = process.events.find((event) => event.name === JOB_EVENT.retryScheduled);
  expect(retry, `attempt ${attempt} records its retry`).to.not.equal(undefined);
  expect(retry!.attributes).to.include({ [ATTR.jobAttempt]: attempt, [ATTR.jobNextAttempt]: attempt + 1 });
  expect(process.attributes[ATTR.jobOutcome]).to.equal('retry');
  expect(process.status.code).to.equal(SpanStatusCode.ERROR);
  expect(trace.eventNames(process)).to.include('exception');
  expect(connectorSpanOf(trace, process).status.code).to.equal(SpanStatusCode.ERROR);
}

/** Checks the failure that ended the job: an ERROR with the job's error message and no retry. */
export function expectFailed(trace: JobTraceView, process: ReadableSpan, message: string): void {
  expect(process.status).to.deep.equal({ code: SpanStatusCode.ERROR, message });
  expect(process.attributes[ATTR.jobOutcome]).to.equal('failed');
  expect(trace.eventNames(process)).to.include(JOB_EVENT.failed);
  expect(trace.eventNames(process)).to.not.include(JOB_EVENT.retryScheduled);
  const exception = process.events.find((event) => event.name === 'exception');
  expect(exception?.attributes?.['exception.message']).to.equal(message);
}

/** Checks that progress reports are events on the attempt, in order, before its completion. */
export function expectProgress(process: ReadableSpan, percents: number[]): void {
  const events = process.events.map((event) => (event.name === JOB_EVENT.progress ? `${event.name} ${event.attributes?.[ATTR.jobProgress]}` : event.name));
  const expected = [...percents.map((percent) => `${JOB_EVENT.progress} ${percent}`), JOB_EVENT.completed];
  expect(events.filter((event) => expected.includes(event))).to.deep.equal(expected);
}

export function expectCancelledWhileRunning(trace: JobTraceView, process: ReadableSpan): void {
  expect(trace.eventNames(process)).to.include.ordered.members([JOB_EVENT.claimed, JOB_EVENT.started]);
  expect(trace.eventNames(process)).to.include(JOB_EVENT.cancelled);
  expect(process.attributes[ATTR.jobOutcome]).to.equal('cancelled');
  expect(process.status.code, 'a cancellation is not an error').to.not.equal(SpanStatusCode.ERROR);
  const connector = connectorSpanOf(trace, process);
  expect(connector.status.code, 'the connector stopped for the cancellation, not with an error').to.not.equal(SpanStatusCode.ERROR);
  expect(trace.eventNames(connector)).to.include(JOB_EVENT.connectorAborted);
}

/** Checks a connector's HTTP request: a CLIENT span under the connector span, with the service's SERVER span under it. */
export function expectHttpRequest(trace: JobTraceView, process: ReadableSpan, url: string): void {
  const connector = connectorSpanOf(trace, process);
  const request = trace.childrenOf(connector).find((span) => span.kind === SpanKind.CLIENT);
  expect(request, `an HTTP client span under ${connector.name}`).to.not.equal(undefined);
  expect(request!.attributes['url.full']).to.equal(url);
  expect(request!.attributes['http.response.status_code']).to.equal(200);
  expect(trace.childrenOf(request!).map((span) => span.kind), 'the service answered within the trace').to.include(SpanKind.SERVER);
}

export interface SpanRow {
  span: string;
  kind: string;
  parent: string;
  attributes?: string;
}

/**
 * Checks one table row: a span with that name, kind and parent name, with at least the
 * listed attributes (`name=value` pairs separated by `;`). `<job id>` stands for the job's id.
 */
export function expectSpanRow(trace: JobTraceView, row: SpanRow): void {
  const candidates = trace.spans.filter((span) => span.name === row.span);
  expect(candidates.map((span) => span.name), `a span named "${row.span}"`).to.not.be.empty;

  const expected = parseAttributes(row.attributes ?? '', trace.job.id);
  const matches = candidates.filter(
    (span) =>
      KIND_NAMES[span.kind] === row.kind &&
      (trace.parentOf(span)?.name ?? '') === row.parent &&
      Object.entries(expected).every(([name, value]) => String(span.attributes[name]) === value),
  );
  expect(matches.length, `a span "${row.span}" of kind ${row.kind} under "${row.parent}" with ${row.attributes || 'any attributes'}`).to.be.greaterThan(0);
}

function parseAttributes(text: string, jobId: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of text.split(';').map((part) => part.trim()).filter((part) => part !== '')) {
    const separator = pair.indexOf('=');
    if (separator < 1) throw new Error(`Invalid attribute "${pair}" in the span table: write name=value pairs separated by ";".`);
    attributes[pair.slice(0, separator).trim()] = pair.slice(separator + 1).trim().replace('<job id>', jobId);
  }
  return attributes;
}

/**
 * Checks a connector's call to its service: CLIENT spans named `<method> <route>` under the
 * connector span, naming the service, and returns the last of them.
 */
export function expectServiceCall(trace: JobTraceView, process: ReadableSpan, connector: string, request: string): ReadableSpan {
  const connectorSpan = connectorSpanOf(trace, process);
  expect(connectorSpan.attributes[ATTR.connectorType]).to.equal(connector);
  const calls = trace.childrenOf(connectorSpan).filter((span) => span.kind === SpanKind.CLIENT && span.name === request);
  expect(calls.length, `CLIENT spans "${request}" under ${connectorSpan.name}`).to.be.greaterThan(0);

  const call = calls.at(-1)!;
  expect(call.attributes[ATTR.peerService]).to.equal(connector);
  expect(call.attributes[ATTR.httpRequestMethod]).to.equal(request.split(' ')[0]);
  expect(String(call.attributes[ATTR.urlFull])).to.match(/^https?:\/\//);
  return call;
}
