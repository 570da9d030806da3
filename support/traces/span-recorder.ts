import { AfterAll } from '@cucumber/cucumber';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

import { createLogger } from '../../src/logger';
import { readTelemetrySettings } from '../../src/telemetry/telemetry-settings';
import { initTracer } from '../../src/telemetry/tracer';

/**
 * Every span the suite's process records: from the in-process API, the in-process workers and
 * the HTTP requests they make. The OpenTelemetry SDK registers globally, so there is one
 * recorder per run; hooks clear it before each scenario.
 */
class SpanRecorder {
  private readonly exporter = new InMemorySpanExporter();
  readonly processor = new SimpleSpanProcessor(this.exporter);

  spans(): ReadableSpan[] {
    return this.exporter.getFinishedSpans();
  }

  /** Finished spans grouped by trace id, in the order their traces started. */
  traces(): Map<string, ReadableSpan[]> {
    const traces = new Map<string, ReadableSpan[]>();
    for (const span of this.spans()) {
      const traceId = span.spanContext().traceId;
      traces.set(traceId, [...(traces.get(traceId) ?? []), span]);
    }
    return traces;
  }

  reset(): void {
    this.exporter.reset();
  }
}

export const spanRecorder = new SpanRecorder();

// The suite's tracer exports nowhere, even when OTEL_COLLECTOR_ENDPOINT is set.
const tracing = initTracer({
  serviceName: 'conveyor-suite',
  environment: 'acceptance-suite',
  settings: { ...readTelemetrySettings({}), collectorEndpoint: null },
  logger: createLogger({ name: 'conveyor-suite-tracing', level: 'warn' }),
  spanProcessors: [spanRecorder.processor],
});

AfterAll(async function () {
  await tracing.shutdown();
});
