import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SpanKind, trace } from '@opentelemetry/api';

import { readTelemetrySettings } from '../src/telemetry/telemetry-settings';
import { initTracer, type Tracing } from '../src/telemetry/tracer';
import { OtlpReceiver } from '../support/otlp-receiver';
import { capturedLogger } from './helpers/captured-logger';

describe('initTracer with an endpoint', () => {
  let receiver: OtlpReceiver;
  let tracing: Tracing;
  const log = capturedLogger();

  before(async () => {
    receiver = await OtlpReceiver.start();
    const settings = readTelemetrySettings({
      OTEL_COLLECTOR_ENDPOINT: `${receiver.url}/`,
      DASH0_AUTH_TOKEN: 'auth_unit_test_token',
      DASH0_DATASET: 'unit-tests',
      OTEL_SERVICE_VERSION: '9.8.7',
    });
    tracing = initTracer({ serviceName: 'conveyor-api', environment: 'phase2', settings, logger: log.logger });

    trace.getTracer('test').startSpan('submit probe', { kind: SpanKind.PRODUCER }).end();
    await tracing.shutdown();
  });

  after(() => receiver.close());

  it('exports to <endpoint>/v1/traces', () => {
    assert.equal(tracing.exportUrl, `${receiver.url}/v1/traces`);
    assert.deepEqual(
      receiver.exports.map((received) => received.path),
      ['/v1/traces'],
    );
  });

  it('sends the Dash0 headers', () => {
    const [received] = receiver.exports;
    assert.equal(received.headers.authorization, 'Bearer auth_unit_test_token');
    assert.equal(received.headers['dash0-dataset'], 'unit-tests');
  });

  it('flushes buffered spans on shutdown', () => {
    assert.deepEqual(
      receiver.spans().map((span) => span.name),
      ['submit probe'],
    );
  });

  it('sets the resource attributes', () => {
    const [span] = receiver.spans();
    assert.equal(span.resource['service.name'], 'conveyor-api');
    assert.equal(span.resource['service.version'], '9.8.7');
    assert.equal(span.resource['deployment.environment'], 'phase2');
    assert.equal(span.resource['deployment.environment.name'], 'phase2');
  });

  it('logs no token', () => {
    assert.ok(log.lines.length > 0);
    assert.deepEqual(
      log.lines.filter((line) => line.includes('auth_unit_test_token')),
      [],
    );
  });
});
