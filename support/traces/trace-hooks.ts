import { After, Before } from '@cucumber/cucumber';

import { API_TRACER, WORKER_TRACER } from '../../src/telemetry/attributes';
import type { JobWorld } from '../../worlds/job-world';
import { spanRecorder } from './span-recorder';
import { renderSpanTrees } from './span-tree';

Before({ name: 'clear the recorded spans' }, function () {
  spanRecorder.reset();
});

/** Attaches the traces of the scenario's jobs to the report, whether the scenario passed or not. */
After({ name: 'attach the span trees' }, function (this: JobWorld) {
  const jobTraces = [...spanRecorder.traces().values()].filter((spans) =>
    spans.some((span) => span.instrumentationScope.name === API_TRACER || span.instrumentationScope.name === WORKER_TRACER),
  );
  const otherCount = spanRecorder.traces().size - jobTraces.length;
  const others = otherCount > 0 ? `\n\n(${otherCount} more traces without job spans, such as the client reading job status, are left out)` : '';
  this.attach(`Spans of this scenario's jobs:\n\n${renderSpanTrees(jobTraces.flat())}${others}`, 'text/plain');

  const exported = this.exportingServices?.collector.spans() ?? [];
  if (exported.length > 0) {
    const lines = exported.map((span) => `${span.serviceName}: ${span.name} kind=${span.kind} trace=${span.traceId} span=${span.spanId} parent=${span.parentSpanId || 'none'}`);
    this.attach(`Spans the trace collector received:\n\n${lines.join('\n')}`, 'text/plain');
  }
});
