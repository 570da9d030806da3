import { AfterAll } from '@cucumber/cucumber';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

import { ATTR } from '../../src/telemetry/attributes';

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
  /** Spans by trace id and trace ids by job id, extended as spans arrive, so a lookup scans no list. */
  private readonly byTrace = new Map<string, { first: number; spans: ReadableSpan[] }>();
  private readonly tracesByJob = new Map<string, Set<string>>();
  private indexed = 0;

  spans(): ReadableSpan[] {
    return this.exporter.getFinishedSpans();
  }

  /** Spans of the traces that carry job `jobId`, plus the trace `extraTraceId` (its submission). */
  spansOfJob(jobId: string, extraTraceId?: string): ReadableSpan[] {
    this.index();
    const traceIds = new Set(this.tracesByJob.get(jobId));
    if (extraTraceId) traceIds.add(extraTraceId);

    // Each trace keeps its spans in the order they ended; traces follow the order they started.
    const traces = [...traceIds].map((traceId) => this.byTrace.get(traceId)).filter((trace) => trace !== undefined);
    return traces.sort((a, b) => a.first - b.first).flatMap((trace) => trace.spans);
  }

  private index(): void {
    const spans = this.spans();
    for (; this.indexed < spans.length; this.indexed++) {
      const span = spans[this.indexed];
      const traceId = span.spanContext().traceId;
      const trace = this.byTrace.get(traceId);
      if (trace) trace.spans.push(span);
      else this.byTrace.set(traceId, { first: this.indexed, spans: [span] });
      const jobId = span.attributes[ATTR.messagingMessageId];
      if (typeof jobId === 'string') this.tracesByJob.set(jobId, (this.tracesByJob.get(jobId) ?? new Set()).add(traceId));
    }
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
    this.byTrace.clear();
    this.tracesByJob.clear();
    this.indexed = 0;
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
