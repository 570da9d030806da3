import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

import { QueueKeys } from './keys';
import { defineScripts, type ScriptCommands } from './scripts';
import { queueError, ScriptErrorCode } from './error-codes';
import { parseJobHash, pairsToHash } from './job-record';
import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_PRIORITY,
  PRIORITY_SCORE_STEP,
  type Job,
  type JobError,
  type NewJob,
} from './job';

export interface QueueOptions {
  /** Key prefix; every key is written under `{prefix}:`. */
  prefix: string;
  /** How long a claim stays valid without renewal, in ms. */
  leaseMs?: number;
  /** Backoff before the first retry, in ms; it doubles on each later retry. */
  retryBackoffMs?: number;
  /** Upper bound of the retry backoff, in ms. */
  maxRetryBackoffMs?: number;
  /** Seconds a finished job is kept; 0 keeps it forever. */
  retentionSeconds?: number;
  /** Clock in ms, replaceable so that tests can move time. */
  now?: () => number;
}

export type ClaimResult = { job: Job } | { job: null; nextRetryInMs: number | null };

/** A job the reaper took back from a worker whose lease expired. */
export interface RecoveredJob {
  id: string;
  /** `pending` when an attempt is left, else `failed`. */
  status: 'pending' | 'failed';
  /** The worker whose lease expired. */
  workerId: string;
  /** The attempt that worker had claimed. */
  attempt: number;
}

export type FailOutcome = { retryAt: number } | { retryAt: null };

export interface FailureInput {
  error: JobError;
  /** A delay the service asked for before the next attempt (Retry-After), in ms. */
  retryAfterMs?: number;
}

/** Reply of claim.lua: a claimed job's hash as pairs, or the ms until a retry is due. */
type ClaimReply = [0, number] | [1, string[]];

function toClaimResult(reply: ClaimReply): ClaimResult {
  if (reply[0] === 1) {
    return { job: parseJobHash(pairsToHash(reply[1])) };
  }
  return { job: null, nextRetryInMs: reply[1] < 0 ? null : reply[1] };
}

/** Maximum number of wake-up tokens kept per service; a token only prompts a claim. */
const MAX_WAKE_TOKENS = 1000;
/** Maximum number of due retries that one claim moves back to pending, per service. */
const PROMOTE_LIMIT = 100;

/**
 * The job queue: every state change is one atomic Lua script, and this class is the only
 * code that calls them.
 */
export class JobQueue {
  readonly keys: QueueKeys;
  readonly leaseMs: number;
  private readonly scripts: ScriptCommands;
  private readonly retryBackoffMs: number;
  private readonly maxRetryBackoffMs: number;
  private readonly retentionSeconds: number;
  private readonly now: () => number;

  constructor(
    readonly redis: Redis,
    options: QueueOptions,
  ) {
    this.keys = new QueueKeys(options.prefix);
    this.leaseMs = options.leaseMs ?? 30_000;
    this.retryBackoffMs = options.retryBackoffMs ?? 1_000;
    this.maxRetryBackoffMs = options.maxRetryBackoffMs ?? 60_000;
    this.retentionSeconds = options.retentionSeconds ?? 7 * 24 * 3600;
    this.now = options.now ?? Date.now;
    this.scripts = defineScripts(redis);
  }

  async submit(input: NewJob): Promise<Job> {
    const id = randomUUID();
    const now = this.now();
    const priority = input.priority ?? DEFAULT_PRIORITY;
    const fields: Record<string, string | number> = {
      id,
      service: input.service,
      priority,
      payload: JSON.stringify(input.payload),
      max_attempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      attempt: 0,
      status: 'pending',
      progress: 0,
    };
    if (input.requirements !== undefined) fields.requirements = JSON.stringify(input.requirements);
    if (input.traceparent) fields.traceparent = input.traceparent;
    if (input.tracestate) fields.tracestate = input.tracestate;

    const code = await this.scripts.submit(
      5,
      this.keys.job(id),
      this.keys.pending(input.service),
      this.keys.sequence(),
      this.keys.wake(input.service),
      this.keys.events(id),
      id,
      priority,
      now,
      MAX_WAKE_TOKENS,
      PRIORITY_SCORE_STEP,
      ...Object.entries(fields).flat(),
    );
    this.check(code, 'submit', id);

    const stored = Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)]));
    return parseJobHash({ ...stored, created_at: String(now), updated_at: String(now) });
  }

  async get(id: string): Promise<Job | null> {
    const hash = await this.redis.hgetall(this.keys.job(id));
    return Object.keys(hash).length === 0 ? null : parseJobHash(hash);
  }

  /** Claims the next job for one of the services, or returns how long until a retry is due. */
  async claim(workerId: string, services: readonly string[]): Promise<ClaimResult> {
    const reply = (await this.scripts.claim(
      1 + 2 * services.length,
      this.keys.active(),
      ...this.serviceKeys(services),
      this.keys.base,
      workerId,
      this.now(),
      this.leaseMs,
      PRIORITY_SCORE_STEP,
      PROMOTE_LIMIT,
    )) as ClaimReply;
    return toClaimResult(reply);
  }

  async start(job: Job, workerId: string, connectorType: string): Promise<void> {
    const code = await this.scripts.start(
      3,
      this.keys.job(job.id),
      this.keys.events(job.id),
      this.keys.worker(workerId),
      workerId,
      job.attempt,
      this.now(),
      connectorType,
    );
    this.check(code, 'start', job.id, workerId);
  }

  async progress(job: Job, workerId: string, percent: number, message = ''): Promise<void> {
    const code = await this.scripts.progress(
      2,
      this.keys.job(job.id),
      this.keys.events(job.id),
      workerId,
      job.attempt,
      this.now(),
      percent,
      message,
    );
    this.check(code, 'report progress of', job.id, workerId);
  }

  async complete(job: Job, workerId: string, result: unknown): Promise<void> {
    const code = await this.scripts.complete(
      4,
      this.keys.job(job.id),
      this.keys.active(),
      this.keys.events(job.id),
      this.keys.worker(workerId),
      workerId,
      job.attempt,
      this.now(),
      JSON.stringify(result ?? null),
      this.retentionSeconds,
    );
    this.check(code, 'complete', job.id, workerId);
  }

  /**
   * Completes a job and claims the worker's next job in the same script, which saves a busy
   * worker one round trip per job. Throws like complete(), and then nothing was claimed.
   */
  async completeAndClaim(job: Job, workerId: string, result: unknown, services: readonly string[]): Promise<ClaimResult> {
    const reply = (await this.scripts.complete(
      4 + 2 * services.length,
      this.keys.job(job.id),
      this.keys.active(),
      this.keys.events(job.id),
      this.keys.worker(workerId),
      ...this.serviceKeys(services),
      workerId,
      job.attempt,
      this.now(),
      JSON.stringify(result ?? null),
      this.retentionSeconds,
      this.keys.base,
      this.leaseMs,
      PRIORITY_SCORE_STEP,
      PROMOTE_LIMIT,
    )) as number | [1, ClaimReply];

    this.check(reply, 'complete', job.id, workerId);
    // A completion resent after a dropped connection returns a plain 1 and claims nothing.
    if (typeof reply === 'number') return { job: null, nextRetryInMs: 0 };
    return toClaimResult(reply[1]);
  }

  async fail(job: Job, workerId: string, failure: FailureInput): Promise<FailOutcome> {
    const reply = (await this.scripts.fail(
      6,
      this.keys.job(job.id),
      this.keys.active(),
      this.keys.delayed(job.service),
      this.keys.events(job.id),
      this.keys.wake(job.service),
      this.keys.worker(workerId),
      workerId,
      job.attempt,
      this.now(),
      JSON.stringify(failure.error),
      failure.error.retryable ? 1 : 0,
      this.retryBackoffMs,
      this.maxRetryBackoffMs,
      Math.max(0, Math.round(failure.retryAfterMs ?? 0)),
      this.retentionSeconds,
    )) as [number, number?];

    this.check(reply[0], 'fail', job.id, workerId);
    return reply[0] === 1 ? { retryAt: Number(reply[1]) } : { retryAt: null };
  }

  /** Cancels a job and returns whether it was running, in which case its worker was notified. */
  async cancel(id: string): Promise<{ wasRunning: boolean }> {
    const service = await this.redis.hget(this.keys.job(id), 'service');
    if (service === null) throw queueError(ScriptErrorCode.JobNotFound, 'cancel', id);

    const code = await this.scripts.cancel(
      5,
      this.keys.job(id),
      this.keys.pending(service),
      this.keys.delayed(service),
      this.keys.active(),
      this.keys.events(id),
      id,
      this.now(),
      this.keys.cancelChannel(),
      this.retentionSeconds,
    );
    this.check(code, 'cancel', id);
    return { wasRunning: code === 2 };
  }

  async renewLease(job: Job, workerId: string): Promise<void> {
    const code = await this.scripts.renew(2, this.keys.job(job.id), this.keys.active(), workerId, job.attempt, this.now(), this.leaseMs);
    this.check(code, 'renew the lease of', job.id, workerId);
  }

  /** Hands a running job back to pending without spending its attempt. */
  async release(job: Job, workerId: string): Promise<void> {
    const code = await this.scripts.release(
      6,
      this.keys.job(job.id),
      this.keys.active(),
      this.keys.pending(job.service),
      this.keys.events(job.id),
      this.keys.wake(job.service),
      this.keys.worker(workerId),
      workerId,
      job.attempt,
      this.now(),
      PRIORITY_SCORE_STEP,
    );
    this.check(code, 'release', job.id, workerId);
  }

  /** Recovers jobs whose lease expired; returns each recovered job with its new status and former owner. */
  async reapExpiredLeases(limit = 100): Promise<RecoveredJob[]> {
    const reply = (await this.scripts.reap(
      1,
      this.keys.active(),
      this.keys.base,
      this.now(),
      limit,
      PRIORITY_SCORE_STEP,
      this.retentionSeconds,
    )) as string[];

    const recovered: RecoveredJob[] = [];
    for (let i = 0; i < reply.length; i += 4) {
      recovered.push({ id: reply[i], status: reply[i + 1] as RecoveredJob['status'], workerId: reply[i + 2], attempt: Number(reply[i + 3]) });
    }
    return recovered;
  }

  /** Counts the jobs waiting to be claimed for a service, retries in backoff included. */
  async pendingCount(service: string): Promise<number> {
    const [pending, delayed] = await Promise.all([
      this.redis.zcard(this.keys.pending(service)),
      this.redis.zcard(this.keys.delayed(service)),
    ]);
    return pending + delayed;
  }

  /** Lists the pending and delayed sorted sets of each service, in the order the claim scripts read them. */
  private serviceKeys(services: readonly string[]): string[] {
    const keys: string[] = [];
    for (const service of services) {
      keys.push(this.keys.pending(service), this.keys.delayed(service));
    }
    return keys;
  }

  private check(code: unknown, operation: string, jobId: string, workerId?: string): void {
    if (typeof code === 'number' && code < 0) {
      throw queueError(code, operation, jobId, workerId);
    }
  }
}
