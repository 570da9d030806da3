import { randomBytes } from 'node:crypto';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';

import { runInFlight, sleep, type QueueSystem } from './queue-system';

/** BullMQ with its defaults: Queue.add per job, Workers with concurrency 1 each. */
export class BullmqSystem implements QueueSystem {
  readonly name = 'BullMQ';
  private readonly connection: ConnectionOptions;
  private readonly queueName = `bench-${randomBytes(4).toString('hex')}`;
  private readonly queue: Queue;

  constructor(redisUrl: string) {
    const url = new URL(redisUrl);
    this.connection = { host: url.hostname, port: Number(url.port) };
    this.queue = new Queue(this.queueName, { connection: this.connection });
  }

  async submit(jobs: number, inFlight: number): Promise<number> {
    const startedAt = performance.now();
    await runInFlight(jobs, inFlight, (index) => this.queue.add('noop', { index }));
    return jobs / ((performance.now() - startedAt) / 1000);
  }

  async drain(workers: number, jobs: number): Promise<number> {
    let completed = 0;
    let firstStart = 0;
    let allCompleted!: () => void;
    const everyJobCompleted = new Promise<void>((resolve) => (allCompleted = resolve));

    const pool = await this.startWorkers(
      workers,
      async () => {
        if (firstStart === 0) firstStart = performance.now();
        return null;
      },
      () => {
        if (++completed === jobs) allCompleted();
      },
    );
    await everyJobCompleted;
    const elapsedMs = performance.now() - firstStart;
    await Promise.all(pool.map((worker) => worker.close()));
    return jobs / (elapsedMs / 1000);
  }

  async startLatencies(workers: number, samples: number): Promise<number[]> {
    const startTimes = new Map<number, number>();
    let notify: (() => void) | null = null;
    const pool = await this.startWorkers(workers, async (data) => {
      startTimes.set(data.index, performance.now());
      notify?.();
      return null;
    });

    await sleep(50);
    const latencies: number[] = [];
    for (let index = 0; index < samples; index++) {
      const started = new Promise<void>((resolve) => (notify = resolve));
      const submittedAt = performance.now();
      await this.queue.add('noop', { index });
      await started;
      latencies.push(startTimes.get(index)! - submittedAt);
      // Lets the worker record the completion and block on Redis again, so the pool is idle.
      await sleep(10);
    }
    await Promise.all(pool.map((worker) => worker.close()));
    return latencies;
  }

  async claimCosts(claims: number): Promise<number[]> {
    const claimer = new Worker(this.queueName, null, { connection: this.connection, autorun: false });
    await claimer.waitUntilReady();
    const token = randomBytes(8).toString('hex');

    const costs: number[] = [];
    for (let index = 0; index < claims; index++) {
      const startedAt = performance.now();
      const job = await claimer.getNextJob(token, { block: false });
      costs.push(performance.now() - startedAt);
      if (!job) throw new Error(`Claim ${index + 1} of ${claims} found no waiting job: submit more before measuring claims.`);
    }
    await claimer.close(true);
    return costs;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  /** Starts workers; `onCompleted` is attached before they run, so that no completion is missed. */
  private async startWorkers(count: number, processor: (data: { index: number }) => Promise<null>, onCompleted = () => {}): Promise<Worker[]> {
    const pool = Array.from({ length: count }, () => {
      const worker = new Worker(this.queueName, (job) => processor(job.data as { index: number }), { connection: this.connection, concurrency: 1, autorun: false });
      worker.on('completed', onCompleted);
      return worker;
    });
    await Promise.all(pool.map((worker) => worker.waitUntilReady()));
    for (const worker of pool) void worker.run();
    return pool;
  }
}
