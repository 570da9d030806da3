import { Given, Then, When } from '@cucumber/cucumber';
import axios from 'axios';
import { expect } from 'chai';

import { ATTR } from '../src/telemetry/attributes';
import { DASH0_TEST_DATASET, ExportingServices } from '../support/exporting-services';
import { mockJob } from '../support/mock-jobs';
import { OtlpReceiver } from '../support/otlp-receiver';
import { suiteRedis } from '../support/suite-redis';
import type { JobWorld } from '../worlds/job-world';

/** OTLP span kinds, as export requests number them. */
const OTLP_KIND = { server: 2, producer: 4, consumer: 5, internal: 1 };

Given('a trace collector is listening on this machine', async function (this: JobWorld) {
  const collector = await OtlpReceiver.start();
  this.onCleanup('stop the trace collector', () => collector.close());
  this.exportingServices = new ExportingServices(collector);
});

Given('an API process and a worker process export their traces to the collector with a Dash0 token and dataset', { timeout: 120_000 }, async function (this: JobWorld) {
  const services = this.exportingServices!;
  this.onCleanup('stop the API and worker processes', async () => void (await services.stop()));
  await services.start(suiteRedis.url, this.prefix, 110_000);
});

When('a client submits a mock job {string} to the API process', async function (this: JobWorld, name: string) {
  const response = await axios.post(`${this.exportingServices!.apiUrl}/api/jobs`, mockJob(), { validateStatus: () => true });
  expect(response.status, JSON.stringify(response.data)).to.equal(201);
  this.jobIds.set(name, String(response.data.id));
});

Then('the collector has received no span yet, because the services export in batches', function (this: JobWorld) {
  expect(this.exportingServices!.collector.spans()).to.deep.equal([]);
});

When('the API process and the worker process shut down', { timeout: 40_000 }, async function (this: JobWorld) {
  expect(await this.exportingServices!.stop()).to.deep.equal({ api: 0, worker: 0 });
});

Then('the collector received the trace of job {string} from both services', async function (this: JobWorld, name: string) {
  const job = (await this.requireQueue().get(this.jobId(name)))!;
  const traceId = job.traceparent!.split('-')[1];
  const spans = this.exportingServices!.collector.spans().filter((span) => span.traceId === traceId);
  const seen = spans.map((span) => `${span.serviceName}: ${span.name} (kind ${span.kind}, span ${span.spanId}, parent ${span.parentSpanId || 'none'})`).join('\n');

  const submit = spans.find((span) => span.serviceName === 'conveyor-api' && span.kind === OTLP_KIND.producer && span.attributes[ATTR.messagingMessageId] === job.id);
  expect(submit, `the API's submit span in trace ${traceId}; received:\n${seen}`).to.not.equal(undefined);
  const request = spans.find((span) => span.spanId === submit!.parentSpanId);
  expect(request?.kind, `the API's HTTP server span is the submit span's parent; received:\n${seen}`).to.equal(OTLP_KIND.server);

  const process = spans.find((span) => span.serviceName === 'conveyor-worker' && span.kind === OTLP_KIND.consumer && span.parentSpanId === submit!.spanId);
  expect(process, `the worker's process span under the submit span; received:\n${seen}`).to.not.equal(undefined);
  const connector = spans.find((span) => span.serviceName === 'conveyor-worker' && span.parentSpanId === process!.spanId);
  expect(connector?.kind, `the connector span under the process span; received:\n${seen}`).to.equal(OTLP_KIND.internal);

  for (const span of [submit!, process!]) {
    expect(span.resource).to.include({ 'deployment.environment': 'phase1', 'service.version': '0.1.0' });
  }
});

Then('every export to the collector carried the Dash0 token and dataset', function (this: JobWorld) {
  const { collector, authToken } = this.exportingServices!;
  expect(collector.rejected).to.deep.equal([]);
  expect(collector.exports.length).to.be.greaterThan(0);
  for (const received of collector.exports) {
    expect(received.path).to.equal('/v1/traces');
    expect(received.headers.authorization).to.equal(`Bearer ${authToken}`);
    expect(received.headers['dash0-dataset']).to.equal(DASH0_TEST_DATASET);
  }
});

Then('no log line of either process contains the Dash0 token', function (this: JobWorld) {
  const { authToken } = this.exportingServices!;
  const lines = [...this.exportingServices!.lines(), ...this.logs.lines];
  expect(lines.length, 'the processes logged nothing to check').to.be.greaterThan(0);
  expect(lines.filter((line) => line.includes(authToken))).to.deep.equal([]);
});
