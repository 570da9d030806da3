import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import { ConnectorManager } from '../src/connectors/connector-manager';
import { readConnectorSettings } from '../src/connectors/connector-settings';
import { createLogger } from '../src/logger';
import { JobQueue } from '../src/queue/job-queue';
import { listWorkers } from '../src/queue/worker-registry';
import { WorkerPool } from '../src/worker/worker-pool';
import { eventually } from '../support/eventually';
import { useTestRedis } from './helpers/test-redis';

const testRedis = useTestRedis();

/** Longer than any wait below, so only the worker's own writes can change its registration. */
const HEARTBEAT_MS = 60_000;

describe('worker registration', () => {
  const pools: WorkerPool[] = [];
  after(async () => {
    for (const pool of pools) await pool.stop();
  });

  /** Starts one mock worker, whose pool relays cancellations to it as in a worker process. */
  async function startWorker(): Promise<JobQueue> {
    const queue = new JobQueue(testRedis.redis(), { prefix: testRedis.prefix() });
    const pool = new WorkerPool({
      queue,
      groups: [{ type: 'mock', count: 1 }],
      connectors: new ConnectorManager(),
      settings: readConnectorSettings({ MOCK_CONNECTOR_DELAY: '0' }),
      testPhase: '1',
      logger: createLogger({ name: 'test', level: 'silent' }),
      worker: { heartbeatMs: HEARTBEAT_MS, maxIdleWaitMs: 100 },
    });
    pools.push(pool);
    await pool.start();
    return queue;
  }

  async function statusOf(queue: JobQueue): Promise<string | undefined> {
    const [record] = await listWorkers(queue);
    return record?.status;
  }

  it('shows idle right after a cancelled job', async () => {
    const queue = await startWorker();
    const job = await queue.submit({ service: 'mock', payload: { hang: true } });
    await eventually(async () => assert.equal(await statusOf(queue), 'busy'));

    await queue.cancel(job.id);

    await eventually(async () => assert.equal(await statusOf(queue), 'idle'), { timeoutMs: 3_000 });
  });
});
