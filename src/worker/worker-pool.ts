import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';

import type { Connector } from '../connectors/connector';
import type { ConnectorManager } from '../connectors/connector-manager';
import type { ConnectorSettings } from '../connectors/connector-settings';
import type { Logger } from '../logger';
import type { JobQueue } from '../queue/job-queue';
import { LeaseReaper } from '../queue/lease-reaper';
import { Worker, type WorkerOptions } from './worker';
import type { WorkerGroup } from './workers-spec';

export interface WorkerPoolOptions {
  queue: JobQueue;
  groups: readonly WorkerGroup[];
  connectors: ConnectorManager;
  settings: ConnectorSettings;
  testPhase: string;
  logger: Logger;
  worker?: Pick<WorkerOptions, 'heartbeatMs' | 'shutdownGraceMs' | 'maxIdleWaitMs' | 'traceMode'>;
  /** Interval of this process's lease reaper, in ms; no reaper runs when it is unset. */
  leaseReapIntervalMs?: number;
}

/**
 * The workers of one process. Each worker has its own blocking connection. The pool shares one
 * subscriber, which relays cancellations to the worker running the cancelled job, and one lease
 * reaper, which recovers the jobs of workers that died elsewhere.
 */
export class WorkerPool {
  readonly workers: Worker[] = [];
  private readonly connectors: Connector[] = [];
  private subscriber: Redis | null = null;
  private reaper: LeaseReaper | null = null;

  constructor(private readonly options: WorkerPoolOptions) {}

  async start(): Promise<void> {
    const { queue, groups, logger, testPhase } = this.options;

    for (const group of groups) {
      for (let index = 1; index <= group.count; index++) {
        const connector = await this.options.connectors.create(group.type, this.options.settings);
        this.connectors.push(connector);
        const workerId = `${group.type}-${randomBytes(4).toString('hex')}-${index}`;
        this.workers.push(new Worker({ ...this.options.worker, queue, connector, workerId, testPhase, logger }));
      }
    }

    this.subscriber = queue.redis.duplicate({ connectionName: 'conveyor-cancel-subscriber' });
    this.subscriber.on('error', (error: Error) => logger.debug({ err: error }, 'cancel subscriber connection error; ioredis reconnects and subscribes again'));
    this.subscriber.on('message', (_channel: string, jobId: string) => {
      for (const worker of this.workers) worker.notifyCancelled(jobId);
    });
    await this.subscriber.subscribe(queue.keys.cancelChannel());

    await Promise.all(this.workers.map((worker) => worker.start()));

    if (this.options.leaseReapIntervalMs !== undefined) {
      this.reaper = new LeaseReaper({ queue, logger, intervalMs: this.options.leaseReapIntervalMs });
      this.reaper.start();
    }
  }

  async stop(): Promise<void> {
    await this.reaper?.stop();
    this.reaper = null;
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await Promise.all(this.connectors.map((connector) => connector.close?.()));
    this.subscriber?.disconnect();
    this.subscriber = null;
  }
}
