import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { expect } from 'chai';
import { hrTimeToMilliseconds } from '@opentelemetry/core';

import { ATTR, WORKER_TRACER } from '../src/telemetry/attributes';
import { eventually } from '../support/eventually';
import { HTTP_PROBE, HttpProbeConnector, HttpProbeService } from '../support/http-probe';
import { assertJobTrace } from '../support/traces/job-trace';
import { spanRecorder } from '../support/traces/span-recorder';
import { renderSpanTrees } from '../support/traces/span-tree';
import {
  expectAttempt,
  expectCancelledWhileRunning,
  expectCompleted,
  expectFailed,
  expectHttpRequest,
  expectProgress,
  expectRetried,
  expectSpanRow,
  expectSubmission,
  type SpanRow,
  expectServiceCall,
} from '../support/traces/trace-expectations';
import type { JobWorld } from '../worlds/job-world';

Given('only {int} mock worker(s) is/are running, each waiting at most {int} ms for work at a time', async function (this: JobWorld, count: number, waitMs: number) {
  await this.stopAllWorkers();
  await this.startWorkers([{ type: 'mock', count }], undefined, { maxIdleWaitMs: waitMs });
});

Given('only {int} mock worker(s) is/are running, linking each job to its submission instead of continuing its trace', async function (this: JobWorld, count: number) {
  await this.stopAllWorkers();
  await this.startWorkers([{ type: 'mock', count }], undefined, { traceMode: 'link' });
});

Given('only 1 worker is running, whose connector calls a service over HTTP', async function (this: JobWorld) {
  await this.stopAllWorkers();
  const probe = (this.httpProbe = await HttpProbeService.start());
  this.onCleanup('stop the HTTP probe service', () => probe.close());
  await this.startWorkers([{ type: HTTP_PROBE, count: 1 }], () => new HttpProbeConnector(probe));
});

When('the workers have waited for work {int} times', async function (this: JobWorld, waits: number) {
  const before = await blockingWaits(this);
  await eventually(async () => expect((await blockingWaits(this)) - before).to.be.at.least(waits));
});

Then('the trace of job {string} follows it from its submission to the mock connector', async function (this: JobWorld, name: string) {
  await assertJobTrace(this, name, (trace) => {
    expect(trace.processSpans()).to.have.length(1);
    expectCompleted(trace, expectAttempt(trace, 1, expectSubmission(trace)));
  });
});

Then('the trace of job {string} shows {int} attempts, each failed one recording its retry', async function (this: JobWorld, name: string, attempts: number) {
  await assertJobTrace(this, name, (trace) => {
    const submit = expectSubmission(trace);
    expect(trace.processSpans()).to.have.length(attempts);
    for (let attempt = 1; attempt < attempts; attempt++) expectRetried(trace, expectAttempt(trace, attempt, submit), attempt);
    expectCompleted(trace, expectAttempt(trace, attempts, submit));
  });
});

Then('the trace of job {string} shows {int} attempt(s), the last failing the job with {string}', async function (this: JobWorld, name: string, attempts: number, message: string) {
  await assertJobTrace(this, name, (trace) => {
    const submit = expectSubmission(trace);
    expect(trace.processSpans()).to.have.length(attempts);
    for (let attempt = 1; attempt < attempts; attempt++) expectRetried(trace, expectAttempt(trace, attempt, submit), attempt);
    expectFailed(trace, expectAttempt(trace, attempts, submit), message);
  });
});

Then('the trace of job {string} shows it was cancelled while running', async function (this: JobWorld, name: string) {
  await assertJobTrace(this, name, (trace) => {
    expect(trace.processSpans()).to.have.length(1);
    expectCancelledWhileRunning(trace, expectAttempt(trace, 1, expectSubmission(trace)));
  });
});

Then('the trace of job {string} shows its submission and no attempt', async function (this: JobWorld, name: string) {
  await assertJobTrace(this, name, (trace) => {
    expectSubmission(trace);
    expect(trace.processSpans()).to.have.length(0);
  });
});

Then('the trace of job {string} shows the connector calling the service over HTTP', async function (this: JobWorld, name: string) {
  await assertJobTrace(this, name, (trace) => {
    expectHttpRequest(trace, expectAttempt(trace, 1, expectSubmission(trace)), this.httpProbe!.echoUrl);
  });
});

Then('the trace of job {string} contains these spans:', async function (this: JobWorld, name: string, table: DataTable) {
  await assertJobTrace(this, name, (trace) => {
    for (const row of table.hashes() as unknown as SpanRow[]) expectSpanRow(trace, row);
  });
});

Then('the processing of job {string} has a trace of its own that links to its submission', async function (this: JobWorld, name: string) {
  await assertJobTrace(this, name, (trace) => {
    const submit = expectSubmission(trace);
    const [process] = trace.processSpans();
    expect(process.spanContext().traceId, 'the attempt runs in a trace of its own').to.not.equal(submit.spanContext().traceId);
    expect(process.parentSpanContext, 'the attempt is the root of its trace').to.equal(undefined);
    expect(process.links.map((link) => link.context.spanId)).to.deep.equal([submit.spanContext().spanId]);
    expectCompleted(trace, process);
  });
});

Then('the workers have recorded no spans', function () {
  const workerSpans = spanRecorder.spans().filter((span) => span.instrumentationScope.name === WORKER_TRACER || span.kind === SpanKind.CONSUMER);
  expect(workerSpans, `the workers recorded:\n${renderSpanTrees(workerSpans)}`).to.have.length(0);
  expect(spanRecorder.spans(), `spans recorded while the workers waited:\n${renderSpanTrees(spanRecorder.spans())}`).to.have.length(0);
});

/** Counts the blocking pops Redis has served, the command an idle worker waits with. */
async function blockingWaits(world: JobWorld): Promise<number> {
  const stats = await world.requireQueue().redis.info('commandstats');
  return Number(/cmdstat_blpop:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

Then('the trace of job {string} records the progress {} before its completion', async function (this: JobWorld, name: string, list: string) {
  const percents = list.split(/, | and /).map(Number);
  await assertJobTrace(this, name, (trace) => expectProgress(expectAttempt(trace, 1, expectSubmission(trace)), percents));
});

Then('the trace of job {string} shows it processed by a worker that offers {string}', async function (this: JobWorld, name: string, service: string) {
  await assertJobTrace(this, name, (trace) => {
    const process = expectAttempt(trace, 1, expectSubmission(trace));
    expect(process.attributes).to.include({ [ATTR.messagingDestinationName]: service, [ATTR.messagingClientId]: trace.job.workerId });
  });
});

Then('job {string} carries the trace context of its submission to the other process', async function (this: JobWorld, name: string) {
  await assertJobTrace(this, name, (trace) => {
    expectSubmission(trace);
    expect(trace.processSpans(), 'no attempt ran in the suite process').to.have.length(0);
  }, { finished: false });
});

Then('the trace of job {string} shows its submission and no attempt yet', async function (this: JobWorld, name: string) {
  await assertJobTrace(this, name, (trace) => {
    expectSubmission(trace);
    expect(trace.processSpans()).to.have.length(0);
  }, { finished: false });
});

Then('the traces show the jobs processed in the order {}', async function (this: JobWorld, order: string) {
  const names = order.split(/, | and /);
  const starts = new Map<string, number>();
  for (const name of names) {
    await assertJobTrace(this, name, (trace) => void starts.set(name, hrTimeToMilliseconds(expectAttempt(trace, 1, expectSubmission(trace)).startTime)));
  }
  expect([...names].sort((a, b) => starts.get(a)! - starts.get(b)!)).to.deep.equal(names);
});

Then('no submission was traced for the rejected submission', function () {
  const producers = spanRecorder.spans().filter((span) => span.kind === SpanKind.PRODUCER);
  expect(producers, renderSpanTrees(producers)).to.have.length(0);
});

Then('the trace of every job runs from its submission to its completion in one attempt', { timeout: 30_000 }, async function (this: JobWorld) {
  for (const name of this.jobIds.keys()) {
    await assertJobTrace(this, name, (trace) => {
      expect(trace.processSpans()).to.have.length(1);
      expectCompleted(trace, expectAttempt(trace, 1, expectSubmission(trace)));
    });
  }
});

Then('the trace of job {string} shows the {word} connector calling {string}', async function (this: JobWorld, name: string, connector: string, request: string) {
  await assertJobTrace(this, name, (trace) => {
    expectServiceCall(trace, expectAttempt(trace, trace.job.attempt, expectSubmission(trace)), connector, request);
  });
});

Then('the trace of job {string} shows the {word} connector calling {string} and getting status {int}', async function (this: JobWorld, name: string, connector: string, request: string, status: number) {
  await assertJobTrace(this, name, (trace) => {
    const call = expectServiceCall(trace, expectAttempt(trace, trace.job.attempt, expectSubmission(trace)), connector, request);
    expect(call.attributes[ATTR.httpResponseStatusCode]).to.equal(status);
    expect(call.status.code, 'a failed request is an ERROR span').to.equal(SpanStatusCode.ERROR);
  });
});
