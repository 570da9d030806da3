import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';

import type { ConnectorJob } from '../src/connectors/connector';
import { ConnectorManager } from '../src/connectors/connector-manager';
import { readConnectorSettings } from '../src/connectors/connector-settings';
import { createLogger } from '../src/logger';
import { JobQueue } from '../src/queue/job-queue';
import { WorkerPool } from '../src/worker/worker-pool';
import { NOOP_SERVICE, NoopConnector } from './noop-connector';
import { runInFlight, sleep, type QueueSystem } from './queue-system';

/** Conveyor driven through its own classes: JobQueue.submit, and a WorkerPool of NoopConnectors. */
export class ConveyorSystem implements QueueSystem {
  readonly name = 'Conveyor';
  private readonly redis: Redis;
  private readonly queue: JobQueue;
  private readonly logger = createLogger({ name: 'bench', level: 'warn' });
  private onStart: (job: ConnectorJob) => void = () => undefined;

  constructor(redisUrl: string) {
    this.redis = new Redis(redisUrl, { connectionName: 'bench-conveyor' });
    this.queue = new JobQueue(this.redis, { prefix: `bench-${randomBytes(4).toString('hex')}` });
  }

  async submit(jobs: number, inFlight: number): Promise<number> {
    const startedAt = performance.now();
    await runInFlight(jobs, inFlight, (index) => this.queue.submit({ service: NOOP_SERVICE, payload: { index } }));
    return jobs / ((performance.now() - startedAt) / 1000);
  }

  async drain(workers: number, jobs: number): Promise<number> {
    let started = 0;
    let firstStart = 0;
    let allStarted!: () => void;
    const everyJobStarted = new Promise<void>((resolve) => (allStarted = resolve));
    this.onStart = () => {
      if (started === 0) firstStart = performance.now();
      if (++started === jobs) allStarted();
    };

    const pool = await this.startPool(workers);
    await everyJobStarted;
    while ((await this.redis.zcard(this.queue.keys.active())) > 0) {
      await sleep(1);
    }
    const elapsedMs = performance.now() - firstStart;
    await pool.stop();
    return jobs / (elapsedMs / 1000);
  }

  async startLatencies(workers: number, samples: number): Promise<number[]> {
    const startTimes = new Map<number, number>();
    let notify: (() => void) | null = null;
    this.onStart = (job) => {
      startTimes.set(job.payload.index as number, performance.now());
      notify?.();
    };

    const pool = await this.startPool(workers);
    await sleep(50);
    const latencies: number[] = [];
    for (let index = 0; index < samples; index++) {
      const started = new Promise<void>((resolve) => (notify = resolve));
      const submittedAt = performance.now();
      await this.queue.submit({ service: NOOP_SERVICE, payload: { index } });
      await started;
      latencies.push(startTimes.get(index)! - submittedAt);
      // Lets the worker record the completion and block on Redis again, so the pool is idle.
      await sleep(10);
    }
    await pool.stop();
    return latencies;
  }

  async claimCosts(claims: number): Promise<number[]> {
    const costs: number[] = [];
    for (let index = 0; index < claims; index++) {
      const startedAt = performance.now();
      const claimed = await this.queue.claim('bench-claimer', [NOOP_SERVICE]);
      costs.push(performance.now() - startedAt);
      if (!claimed.job) throw new Error(`Claim ${index + 1} of ${claims} found no waiting job: submit more before measuring claims.`);
    }
    return costs;
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }

  private async startPool(workers: number): Promise<WorkerPool> {
    const pool = new WorkerPool({
      queue: this.queue,
      groups: [{ type: 'noop', count: workers }],
      connectors: new ConnectorManager({ noop: () => new NoopConnector((job) => this.onStart(job)) }),
      settings: readConnectorSettings({}),
      testPhase: 'bench',
      logger: this.logger,
    });
    await pool.start();
    return pool;
  }
}
