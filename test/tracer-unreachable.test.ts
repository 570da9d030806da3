import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';

import { readTelemetrySettings } from '../src/telemetry/telemetry-settings';
import { initTracer } from '../src/telemetry/tracer';
import { findFreePort } from '../support/redis-harness';
import { capturedLogger } from './helpers/captured-logger';

describe('initTracer with an unreachable collector', () => {
  it('drops spans and warns once', async () => {
    const { logger, lines, records } = capturedLogger();
    const port = await findFreePort();
    const settings = readTelemetrySettings({ OTEL_COLLECTOR_ENDPOINT: `http://127.0.0.1:${port}`, DASH0_AUTH_TOKEN: 'auth_unreachable_token' });
    const tracing = initTracer({ serviceName: 'conveyor-worker', environment: 'phase1', settings, logger, exportTimeoutMs: 1_000, shutdownTimeoutMs: 5_000 });

    const tracer = trace.getTracer('test');
    for (let index = 0; index < 3; index++) tracer.startSpan(`process probe ${index}`).end();
    await tracing.shutdown();

    const warnings = records().filter((record) => record.level === 40);
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(String(warnings[0].msg), /^trace export failed/);
    assert.match(String(warnings[0].reason), /ECONNREFUSED/);
    assert.equal(warnings[0].droppedSpans, 3);
    assert.deepEqual(
      lines.filter((line) => line.includes('auth_unreachable_token')),
      [],
    );
  });
});
