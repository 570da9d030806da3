import type { JobContext } from './connector';

/** Shortest gap between two progress writes while a stream runs, so tokens do not each cost a Redis write. */
const MIN_REPORT_INTERVAL_MS = 100;

/**
 * Reports progress while a streamed reply arrives. Streams carry no total, so the percentage
 * is chunks against the token limit when the job set one, else one point per chunk, and it
 * stays below 100 until the job completes.
 */
export class StreamProgress {
  private chunks = 0;
  private lastReportAt = 0;

  constructor(
    private readonly context: JobContext,
    private readonly expectedChunks: number | null,
  ) {}

  get received(): number {
    return this.chunks;
  }

  /** Counts one chunk and reports it unless a report went out less than 100 ms ago. */
  async chunk(): Promise<void> {
    this.chunks += 1;
    const now = Date.now();
    if (this.chunks > 1 && now - this.lastReportAt < MIN_REPORT_INTERVAL_MS) return;

    this.lastReportAt = now;
    const percent = this.expectedChunks ? Math.min(99, Math.round((this.chunks * 100) / this.expectedChunks)) : Math.min(90, this.chunks);
    await this.context.reportProgress(percent, `streaming: ${this.chunks} chunk${this.chunks === 1 ? '' : 's'} received`);
  }
}
