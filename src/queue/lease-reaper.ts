import type { Logger } from '../logger';
import type { JobQueue } from './job-queue';

export interface LeaseReaperOptions {
  queue: JobQueue;
  logger: Logger;
  /** Pause between two passes, in ms. */
  intervalMs: number;
  /** Maximum number of jobs one pass recovers; a full pass starts the next one at once. */
  batchSize?: number;
}

/**
 * Runs the reap script on a timer, so that jobs whose worker died or lost Redis go back to
 * pending (or fail once their attempts are used up). Many reapers may run at once, in the API
 * and in every worker process, because the script hands each expired job to exactly one of them.
 */
export class LeaseReaper {
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  private running = false;
  /** Consecutive failed passes, so that a Redis outage logs one error and not one per pass. */
  private failures = 0;
  private readonly logger: Logger;
  private readonly batchSize: number;

  constructor(private readonly options: LeaseReaperOptions) {
    if (!Number.isFinite(options.intervalMs) || options.intervalMs <= 0) {
      throw new Error(`Invalid lease reaper interval ${options.intervalMs}: use a number of ms greater than 0.`);
    }
    this.logger = options.logger.child({ component: 'lease-reaper' });
    this.batchSize = options.batchSize ?? 100;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.options.intervalMs);
  }

  /** Stops the timer and waits for a pass in progress to finish. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.pass;
  }

  /** Recovers every job whose lease has expired; returns how many it recovered. */
  async reapOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const recovered = await this.options.queue.reapExpiredLeases(this.batchSize);
      for (const job of recovered) {
        this.logger.warn(
          { jobId: job.id, workerId: job.workerId, attempt: job.attempt, status: job.status },
          job.status === 'pending' ? 'lease expired; job returned to pending' : 'lease expired; job failed, no attempt left',
        );
      }
      total += recovered.length;
      if (recovered.length < this.batchSize) return total;
    }
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pass = this.runPass().finally(() => {
        this.pass = null;
        this.schedule(this.options.intervalMs);
      });
    }, delayMs);
  }

  private async runPass(): Promise<void> {
    try {
      await this.reapOnce();
      if (this.failures > 0) this.logger.info({ failedPasses: this.failures }, 'lease reaper recovered');
      this.failures = 0;
    } catch (error) {
      this.failures++;
      if (this.failures === 1) this.logger.error({ err: error }, 'lease reaper pass failed; retrying on the next pass');
    }
  }
}
