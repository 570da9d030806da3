import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';

import { readTelemetrySettings } from '../src/telemetry/telemetry-settings';
import { initTracer } from '../src/telemetry/tracer';
import { capturedLogger } from './helpers/captured-logger';

describe('initTracer without an endpoint', () => {
  it('records and exports nothing', async () => {
    const { logger, records } = capturedLogger();
    const tracing = initTracer({ serviceName: 'conveyor-worker', environment: 'phase1', settings: readTelemetrySettings({ DASH0_AUTH_TOKEN: 'unused' }), logger });

    assert.equal(tracing.exportUrl, null);
    const span = trace.getTracer('test').startSpan('probe');
    assert.equal(span.isRecording(), false);
    span.end();
    await tracing.shutdown();

    assert.deepEqual(
      records().filter((record) => Number(record.level) > 20),
      [],
    );
  });
});
