import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

import type { Logger } from '../logger';

export interface ExportFailureLogOptions {
  /** Shortest gap between two warnings about failed exports, in ms. */
  intervalMs?: number;
  now?: () => number;
}

/**
 * Wraps a span exporter and logs its failures: the first one at once, then at most one
 * warning per interval with the number of spans dropped since the last line, and one info
 * line when exports succeed again. Only the error's message is logged, never the request.
 */
export class ExportFailureLog implements SpanExporter {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private lastWarningAt: number | null = null;
  private failedExports = 0;
  private droppedSpans = 0;
  private failing = false;

  constructor(
    private readonly exporter: SpanExporter,
    private readonly logger: Logger,
    options: ExportFailureLogOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exporter.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        this.recordSuccess();
      } else {
        this.recordFailure(spans.length, result.error);
      }
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush?.() ?? Promise.resolve();
  }

  private recordFailure(spanCount: number, error: Error | undefined): void {
    this.failing = true;
    this.failedExports += 1;
    this.droppedSpans += spanCount;

    const now = this.now();
    if (this.lastWarningAt !== null && now - this.lastWarningAt < this.intervalMs) return;

    this.logger.warn(
      { failedExports: this.failedExports, droppedSpans: this.droppedSpans, reason: error?.message ?? 'unknown' },
      `trace export failed; spans are dropped, jobs are not affected (next warning in ${Math.round(this.intervalMs / 1000)} s at the earliest)`,
    );
    this.lastWarningAt = now;
    this.failedExports = 0;
    this.droppedSpans = 0;
  }

  private recordSuccess(): void {
    if (!this.failing) return;
    this.logger.info({ failedExports: this.failedExports, droppedSpans: this.droppedSpans }, 'trace export recovered');
    this.failing = false;
    this.lastWarningAt = null;
    this.failedExports = 0;
    this.droppedSpans = 0;
  }
}
