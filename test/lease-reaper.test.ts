import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';

import { createLogger } from '../src/logger';
import { JobQueue } from '../src/queue/job-queue';
import { LeaseReaper } from '../src/queue/lease-reaper';
import { eventually } from '../support/eventually';
import { useTestRedis } from './helpers/test-redis';

const testRedis = useTestRedis();

function captureLogger(): { logger: ReturnType<typeof createLogger>; records: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger({ name: 'reaper-test', destination }), records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('LeaseReaper', () => {
  it('recovers each expired job once, however many reapers run', async () => {
    const clock = { now: 1_000_000 };
    const queue = new JobQueue(testRedis.redis(), { prefix: testRedis.prefix(), leaseMs: 1_000, now: () => clock.now });
    const { logger, records } = captureLogger();
    const reapers = Array.from({ length: 5 }, () => new LeaseReaper({ queue, logger, intervalMs: 1_000, batchSize: 3 }));
    const ids: string[] = [];
    for (let index = 0; index < 10; index++) {
      ids.push((await queue.submit({ service: 'mock', payload: { index } })).id);
      await queue.claim(`worker-${index}`, ['mock']);
    }

    clock.now += 1_001;
    const counts = await Promise.all(reapers.map((reaper) => reaper.reapOnce()));

    assert.equal(counts.reduce((sum, count) => sum + count, 0), 10);
    const logged = records().filter((record) => record.msg === 'lease expired; job returned to pending');
    assert.deepEqual(logged.map((record) => record.jobId).sort(), [...ids].sort());
    assert.ok(logged.every((record) => /^worker-\d$/.test(String(record.workerId)) && record.attempt === 1));
    for (const id of ids) assert.equal((await queue.get(id))?.status, 'pending');
  });

  it('reaps on its timer and stops cleanly', async () => {
    const queue = new JobQueue(testRedis.redis(), { prefix: testRedis.prefix(), leaseMs: 1 });
    const { logger, records } = captureLogger();
    const reaper = new LeaseReaper({ queue, logger, intervalMs: 10 });
    const job = await queue.submit({ service: 'mock', payload: {} });
    await queue.claim('worker-1', ['mock']);

    reaper.start();
    await eventually(() => assert.ok(records().length > 0, 'the reaper logged nothing'));
    await reaper.stop();

    assert.equal(records()[0].jobId, job.id);
    assert.equal((await queue.get(job.id))?.status, 'pending');
  });

  it('rejects an interval that is not positive', () => {
    const queue = new JobQueue(testRedis.redis(), { prefix: testRedis.prefix() });
    assert.throws(() => new LeaseReaper({ queue, logger: createLogger({ name: 'reaper-test', level: 'silent' }), intervalMs: 0 }), /Invalid lease reaper interval 0/);
  });
});
