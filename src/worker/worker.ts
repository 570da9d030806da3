import { hostname } from 'node:os';
import type Redis from 'ioredis';

import type { Connector, ConnectorJob, JobContext } from '../connectors/connector';
import { ConnectorError } from '../connectors/connector-error';
import type { Logger } from '../logger';
import { QueueError, ScriptErrorCode } from '../queue/error-codes';
import type { Job, JobError } from '../queue/job';
import type { ClaimResult, JobQueue } from '../queue/job-queue';
import { traceProcessing, type JobTrace, type TraceMode } from '../telemetry/job-tracing';

export interface WorkerOptions {
  queue: JobQueue;
  connector: Connector;
  workerId: string;
  /** `1`, `2` or `production`, recorded in the worker's registration. */
  testPhase: string;
  logger: Logger;
  /** Interval of the registration heartbeat and lease renewal, in ms. */
  heartbeatMs?: number;
  /** How long stop() lets a running job finish before handing it back, in ms. */
  shutdownGraceMs?: number;
  /** Maximum idle wait on Redis before the worker claims again, in ms. */
  maxIdleWaitMs?: number;
  /** Whether a job's process span continues the submission's trace (default) or links to it. */
  traceMode?: TraceMode;
}

export type WorkerStatus = 'starting' | 'idle' | 'busy' | 'stopping' | 'stopped';

/** The reason a running job's AbortSignal fired. */
export type AbortReason = 'cancelled' | 'lease_lost' | 'shutdown';

class JobAbort extends Error {
  override readonly name = 'JobAbort';

  constructor(readonly reason: AbortReason) {
    super(`Job aborted: ${reason}`);
  }
}

/** Returns why a job's signal fired, or null when it has not or fired for another reason. */
function abortReason(signal: AbortSignal): AbortReason | null {
  return signal.aborted && signal.reason instanceof JobAbort ? signal.reason.reason : null;
}

interface RunningJob {
  job: Job;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Runs one job at a time: claims from Redis, runs the job through its connector and records
 * the outcome. When idle it blocks on the wake-up lists of its services instead of polling.
 */
export class Worker {
  readonly id: string;
  private status: WorkerStatus = 'starting';
  private blocking: Redis | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private running: RunningJob | null = null;
  private readonly stopping = new AbortController();
  /** Heartbeats failed in a row, so that an outage logs one warning. */
  private failedBeats = 0;
  private readonly logger: Logger;
  private readonly heartbeatMs: number;
  private readonly shutdownGraceMs: number;
  private readonly maxIdleWaitMs: number;

  constructor(private readonly options: WorkerOptions) {
    this.id = options.workerId;
    this.logger = options.logger.child({ workerId: this.id, connector: options.connector.type });
    this.heartbeatMs = options.heartbeatMs ?? 5_000;
    this.shutdownGraceMs = options.shutdownGraceMs ?? 10_000;
    this.maxIdleWaitMs = options.maxIdleWaitMs ?? 5_000;
  }

  get services(): readonly string[] {
    return this.options.connector.services;
  }

  get currentJobId(): string | null {
    return this.running?.job.id ?? null;
  }

  get state(): WorkerStatus {
    return this.status;
  }

  async start(): Promise<void> {
    const { queue } = this.options;
    this.blocking = queue.redis.duplicate({ connectionName: `conveyor-worker-${this.id}` });
    this.blocking.on('error', (error: Error) => this.logger.debug({ err: error }, 'blocking connection error; ioredis reconnects'));
    await this.register();

    this.status = 'idle';
    this.heartbeat = setInterval(() => void this.beat(), this.heartbeatMs);
    this.loop = this.claimLoop();
    this.logger.debug({ services: this.services }, 'worker started');
  }

  /**
   * Stops claiming, lets a running job finish within the shutdown grace period, then hands it
   * back to pending without spending its attempt, and removes the registration.
   */
  async stop(): Promise<void> {
    if (this.status === 'stopped' || this.status === 'stopping') {
      await this.loop;
      return;
    }
    this.status = 'stopping';
    this.stopping.abort();
    this.blocking?.disconnect();

    const running = this.running;
    if (running) {
      const finished = await settlesWithin(running.done, this.shutdownGraceMs);
      if (!finished) {
        running.controller.abort(new JobAbort('shutdown'));
        await running.done;
      }
    }
    await this.loop;

    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.deregister();
    this.status = 'stopped';
    this.logger.debug('worker stopped');
  }

  /** Aborts the running job when it is the one that was cancelled. */
  notifyCancelled(jobId: string): void {
    if (this.running?.job.id === jobId) {
      this.running.controller.abort(new JobAbort('cancelled'));
    }
  }

  private async claimLoop(): Promise<void> {
    const { queue } = this.options;
    // The claim that completing the previous job made, if it made one.
    let next: ClaimResult | null = null;
    while (this.status === 'idle' || this.status === 'busy') {
      try {
        const claimed = next ?? (await queue.claim(this.id, this.services));
        next = null;
        if (claimed.job) {
          next = await this.run(claimed.job);
          continue;
        }
        await this.waitForWork(claimed.nextRetryInMs);
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        this.logger.error({ err: error }, 'claim failed; retrying in 1 s');
        await pause(1_000, this.stopping.signal);
      }
    }

    if (next?.job) await this.handBack(next.job);
  }

  private async waitForWork(nextRetryInMs: number | null): Promise<void> {
    const waitMs = Math.min(nextRetryInMs ?? this.maxIdleWaitMs, this.maxIdleWaitMs);
    if (waitMs <= 0) return;

    const wakeKeys = this.services.map((service) => this.options.queue.keys.wake(service));
    try {
      await this.blocking!.blpop(...wakeKeys, waitMs / 1000);
    } catch (error) {
      if (!this.stopping.signal.aborted) throw error;
    }
  }

  /** Runs a claimed job; returns the worker's next claim when completing the job made it. */
  private async run(job: Job): Promise<ClaimResult | null> {
    const controller = new AbortController();
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.running = { job, controller, done };
    if (this.status === 'idle') this.status = 'busy';

    try {
      const traceOptions = { workerId: this.id, connectorType: this.options.connector.type, mode: this.options.traceMode };
      return await traceProcessing(job, traceOptions, (jobTrace) => this.execute(job, controller.signal, jobTrace));
    } finally {
      this.running = null;
      if (this.status === 'busy') this.status = 'idle';
      // The scripts that end a job also mark its worker idle. A cancelled or lost job ends
      // without such a write, so the registration is refreshed here, not at the next heartbeat.
      const reason = abortReason(controller.signal);
      if (reason === 'cancelled' || reason === 'lease_lost') {
        this.register().catch((error: unknown) => this.logger.warn({ err: error }, 'registration refresh failed; the next heartbeat retries it'));
      }
      finish();
    }
  }

  private async execute(job: Job, signal: AbortSignal, jobTrace: JobTrace): Promise<ClaimResult | null> {
    const { queue, connector } = this.options;
    const logger = this.logger.child({ jobId: job.id, attempt: job.attempt });
    const startedAt = performance.now();
    const elapsed = () => Math.round(performance.now() - startedAt);

    try {
      await queue.start(job, this.id, connector.type);
      jobTrace.started();
    } catch (error) {
      this.logRejectedWrite(logger, error, 'start', jobTrace);
      return null;
    }

    const context: JobContext = {
      signal,
      logger,
      reportProgress: (percent, message) => {
        jobTrace.progress(clampProgress(percent), message ?? '');
        return queue.progress(job, this.id, clampProgress(percent), message ?? '');
      },
    };

    let result: unknown;
    try {
      result = await jobTrace.runConnector(() => connector.process(toConnectorJob(job), context), signal);
      signal.throwIfAborted();
    } catch (error) {
      await this.recordFailure(job, logger, error, signal, elapsed(), jobTrace);
      return null;
    }

    try {
      // A stopping worker completes without claiming a next job.
      let next: ClaimResult | null = null;
      if (this.status === 'busy') next = await queue.completeAndClaim(job, this.id, result, this.services);
      else await queue.complete(job, this.id, result);
      jobTrace.completed();
      logger.info({ durationMs: elapsed(), outcome: 'completed' }, 'job completed');
      return next;
    } catch (error) {
      this.logRejectedWrite(logger, error, 'complete', jobTrace);
      return null;
    }
  }

  private async recordFailure(job: Job, logger: Logger, error: unknown, signal: AbortSignal, durationMs: number, jobTrace: JobTrace): Promise<void> {
    const abort = abortReason(signal);
    if (abort === 'cancelled' || abort === 'lease_lost') {
      jobTrace.aborted(abort);
      logger.info({ durationMs, outcome: abort }, abort === 'cancelled' ? 'job cancelled' : 'job abandoned: lease lost');
      return;
    }
    if (abort === 'shutdown') {
      try {
        await this.options.queue.release(job, this.id);
        jobTrace.released();
        logger.info({ durationMs, outcome: 'released' }, 'job handed back to pending for shutdown');
      } catch (releaseError) {
        this.logRejectedWrite(logger, releaseError, 'release', jobTrace);
      }
      return;
    }

    const jobError = toJobError(error, job.service);
    const retryAfterMs = error instanceof ConnectorError ? error.retryAfterMs : undefined;
    try {
      const outcome = await this.options.queue.fail(job, this.id, { error: jobError, retryAfterMs });
      if (outcome.retryAt !== null) {
        jobTrace.retryScheduled(jobError, outcome.retryAt, error);
        logger.warn({ durationMs, outcome: 'retry', retryAt: outcome.retryAt, error: jobError }, 'job failed; retry scheduled');
      } else {
        jobTrace.failed(jobError, error);
        logger.warn({ durationMs, outcome: 'failed', error: jobError }, 'job failed');
      }
    } catch (failError) {
      this.logRejectedWrite(logger, failError, 'fail', jobTrace);
    }
  }

  /** Hands a job claimed as stop() began back to pending, without spending its attempt. */
  private async handBack(job: Job): Promise<void> {
    const logger = this.logger.child({ jobId: job.id, attempt: job.attempt });
    try {
      await this.options.queue.release(job, this.id);
      logger.info({ outcome: 'released' }, 'job handed back to pending for shutdown');
    } catch (error) {
      this.logRejectedWrite(logger, error, 'release');
    }
  }

  /** Logs a write the queue rejected: cancelled jobs at info, a lost lease as a warning. */
  private logRejectedWrite(logger: Logger, error: unknown, operation: string, jobTrace?: JobTrace): void {
    jobTrace?.writeRejected(operation, error, error instanceof QueueError && error.code === ScriptErrorCode.JobCancelled);
    if (error instanceof QueueError && error.code === ScriptErrorCode.JobCancelled) {
      logger.info({ outcome: 'cancelled' }, `job was cancelled before ${operation}`);
    } else if (error instanceof QueueError) {
      logger.warn({ err: error, operation }, 'write rejected: the worker no longer owns the job');
    } else {
      logger.error({ err: error, operation }, 'write to Redis failed');
    }
  }

  private async beat(): Promise<void> {
    let renewed: RunningJob | null = null;
    try {
      await this.register();
      renewed = this.running;
      if (renewed) await this.options.queue.renewLease(renewed.job, this.id);
      if (this.failedBeats > 0) this.logger.info({ failedBeats: this.failedBeats }, 'heartbeat recovered');
      this.failedBeats = 0;
    } catch (error) {
      if (error instanceof QueueError && renewed) {
        // A renewal that crossed the job's completion is rejected too; the next job must run on.
        if (renewed !== this.running) return;
        // Renewals queued while Redis was unreachable are all rejected; the first one aborts.
        if (renewed.controller.signal.aborted) return;
        const reason: AbortReason = error.code === ScriptErrorCode.JobCancelled ? 'cancelled' : 'lease_lost';
        this.logger.warn({ jobId: error.jobId, reason }, 'lease renewal rejected; aborting the job');
        renewed.controller.abort(new JobAbort(reason));
        return;
      }
      // One warning per outage: Redis being down fails every beat until it is back.
      if (this.failedBeats++ === 0) this.logger.warn({ err: error }, 'heartbeat failed');
    }
  }

  private async register(): Promise<void> {
    const { queue, connector, testPhase } = this.options;
    const key = queue.keys.worker(this.id);
    const status = this.running ? 'busy' : this.registeredStatus();
    await queue.redis
      .multi()
      .hset(key, {
        worker_id: this.id,
        test_phase: testPhase,
        connector_type: connector.type,
        capabilities: JSON.stringify(connector.services),
        status,
        current_job_id: this.running?.job.id ?? '',
        hostname: hostname(),
        pid: process.pid,
        heartbeat_at: Date.now(),
      })
      .pexpire(key, this.heartbeatMs * 3)
      .sadd(queue.keys.workers(), this.id)
      .exec();
  }

  /** The status an idle worker registers: a worker still starting is already idle to clients. */
  private registeredStatus(): WorkerStatus {
    return this.status === 'starting' ? 'idle' : this.status;
  }

  private async deregister(): Promise<void> {
    const { queue } = this.options;
    try {
      await queue.redis.multi().del(queue.keys.worker(this.id)).srem(queue.keys.workers(), this.id).exec();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not remove the worker registration; it expires by itself');
    }
  }
}

function toConnectorJob(job: Job): ConnectorJob {
  return {
    id: job.id,
    service: job.service,
    payload: job.payload,
    requirements: job.requirements,
    attempt: job.attempt,
    maxAttempts: job.maxAttempts,
  };
}

function toJobError(error: unknown, service: string): JobError {
  if (error instanceof ConnectorError) return error.toJobError();
  const message = error instanceof Error ? error.message : String(error);
  return { message, kind: 'unexpected', retryable: true, service };
}

function clampProgress(percent: number): number {
  return Math.max(0, Math.min(100, Math.round(percent)));
}

/** Waits `ms` or until the signal aborts, whichever comes first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Resolves true when the promise settles within `ms`, else false; leaves no timer behind. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
