import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { exporterConfig, readTelemetrySettings } from '../src/telemetry/telemetry-settings';

describe('readTelemetrySettings', () => {
  it('no endpoint disables export', () => {
    const settings = readTelemetrySettings({});
    assert.equal(settings.collectorEndpoint, null);
    assert.equal(exporterConfig(settings), null);
  });

  it('blank endpoint disables export', () => {
    assert.equal(readTelemetrySettings({ OTEL_COLLECTOR_ENDPOINT: '  ' }).collectorEndpoint, null);
  });

  it('rejects an endpoint that is not a URL', () => {
    assert.throws(() => readTelemetrySettings({ OTEL_COLLECTOR_ENDPOINT: 'collector:4318' }), /Invalid OTEL_COLLECTOR_ENDPOINT="collector:4318": use the collector's http/);
  });

  it('rejects a non-HTTP endpoint', () => {
    assert.throws(() => readTelemetrySettings({ OTEL_COLLECTOR_ENDPOINT: 'grpc://127.0.0.1:4317' }), /Invalid OTEL_COLLECTOR_ENDPOINT/);
  });

  it('trace mode defaults to continue', () => {
    assert.equal(readTelemetrySettings({}).traceMode, 'continue');
    assert.equal(readTelemetrySettings({ JOB_TRACE_MODE: 'link' }).traceMode, 'link');
  });

  it('export delay from OTEL_BSP_SCHEDULE_DELAY', () => {
    assert.equal(readTelemetrySettings({}).exportDelayMs, 5_000);
    assert.equal(readTelemetrySettings({ OTEL_BSP_SCHEDULE_DELAY: '250' }).exportDelayMs, 250);
    assert.throws(() => readTelemetrySettings({ OTEL_BSP_SCHEDULE_DELAY: '1s' }), /Invalid OTEL_BSP_SCHEDULE_DELAY="1s"/);
  });

  it('rejects an unknown trace mode', () => {
    assert.throws(() => readTelemetrySettings({ JOB_TRACE_MODE: 'links' }), /Invalid JOB_TRACE_MODE="links": use "continue"/);
  });

  it('service version from the environment or package.json', () => {
    assert.equal(readTelemetrySettings({ OTEL_SERVICE_VERSION: '2.3.4' }).serviceVersion, '2.3.4');
    assert.match(readTelemetrySettings({}).serviceVersion, /^\d+\.\d+\.\d+/);
  });
});

describe('exporterConfig', () => {
  it('appends /v1/traces to the endpoint', () => {
    const config = exporterConfig(readTelemetrySettings({ OTEL_COLLECTOR_ENDPOINT: 'https://ingress.example.com' }));
    assert.equal(config?.url, 'https://ingress.example.com/v1/traces');
  });

  it('drops trailing slashes before appending', () => {
    const config = exporterConfig(readTelemetrySettings({ OTEL_COLLECTOR_ENDPOINT: 'http://127.0.0.1:4318//' }));
    assert.equal(config?.url, 'http://127.0.0.1:4318/v1/traces');
  });

  it('keeps a path prefix', () => {
    const config = exporterConfig(readTelemetrySettings({ OTEL_COLLECTOR_ENDPOINT: 'http://gateway.local/otel' }));
    assert.equal(config?.url, 'http://gateway.local/otel/v1/traces');
  });

  it('does not repeat /v1/traces', () => {
    const config = exporterConfig(readTelemetrySettings({ OTEL_COLLECTOR_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }));
    assert.equal(config?.url, 'http://127.0.0.1:4318/v1/traces');
  });

  it('sends the Dash0 token and dataset', () => {
    const config = exporterConfig(readTelemetrySettings({ OTEL_COLLECTOR_ENDPOINT: 'http://127.0.0.1:4318', DASH0_AUTH_TOKEN: 'auth_abc', DASH0_DATASET: 'staging' }));
    assert.deepEqual(config?.headers, { Authorization: 'Bearer auth_abc', 'Dash0-Dataset': 'staging' });
  });

  it('sends no header that is not set', () => {
    const config = exporterConfig(readTelemetrySettings({ OTEL_COLLECTOR_ENDPOINT: 'http://127.0.0.1:4318', DASH0_AUTH_TOKEN: '', DASH0_DATASET: ' ' }));
    assert.deepEqual(config?.headers, {});
  });

  it('sends the token without a dataset', () => {
    const config = exporterConfig(readTelemetrySettings({ OTEL_COLLECTOR_ENDPOINT: 'http://127.0.0.1:4318', DASH0_AUTH_TOKEN: 'auth_abc' }));
    assert.deepEqual(config?.headers, { Authorization: 'Bearer auth_abc' });
  });
});
