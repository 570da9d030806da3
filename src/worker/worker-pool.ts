import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';

import type { Connector } from '../connectors/connector';
import type { ConnectorManager } from '../connectors/connector-manager';
import type { ConnectorSettings } from '../connectors/connector-settings';
import type { Logger } from '../logger';
import type { JobQueue } from '../queue/job-queue';
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
}

/**
 * The workers of one process. Each worker has its own blocking connection; the pool shares
 * one subscriber that relays cancellations to the worker running the cancelled job.
 */
export class WorkerPool {
  readonly workers: Worker[] = [];
  private readonly connectors: Connector[] = [];
  private subscriber: Redis | null = null;

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
    this.subscriber.on('message', (_channel: string, jobId: string) => {
      for (const worker of this.workers) worker.notifyCancelled(jobId);
    });
    await this.subscriber.subscribe(queue.keys.cancelChannel());

    await Promise.all(this.workers.map((worker) => worker.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await Promise.all(this.connectors.map((connector) => connector.close?.()));
    this.subscriber?.disconnect();
    this.subscriber = null;
  }
}
