import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { QueueError, ScriptErrorCode } from '../src/queue/error-codes';
import type { Job } from '../src/queue/job';
import { JobQueue } from '../src/queue/job-queue';
import { useTestRedis } from './helpers/test-redis';

const testRedis = useTestRedis();

function createQueue(clock?: { now: number }): JobQueue {
  return new JobQueue(testRedis.redis(), {
    prefix: testRedis.prefix(),
    leaseMs: 1_000,
    retryBackoffMs: 100,
    maxRetryBackoffMs: 150,
    now: clock ? () => clock.now : undefined,
  });
}

async function claimOne(queue: JobQueue, workerId = 'worker-1', services = ['mock']): Promise<Job> {
  const claimed = await queue.claim(workerId, services);
  assert.ok(claimed.job, 'expected a job to claim');
  return claimed.job;
}

/** Returns the statuses a job's event stream recorded, oldest first, joined by spaces. */
async function statusEvents(queue: JobQueue, id: string): Promise<string> {
  const entries = await queue.redis.xrange(queue.keys.events(id), '-', '+');
  return entries
    .map(([, fields]) => fields)
    .filter((fields) => fields[fields.indexOf('type') + 1] === 'status')
    .map((fields) => (JSON.parse(fields[fields.indexOf('data') + 1]) as { status: string }).status)
    .join(' ');
}

async function rejection(promise: Promise<unknown>): Promise<ScriptErrorCode> {
  const error = await promise.then(
    () => assert.fail('expected the queue to reject the write'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof QueueError, String(error));
  return error.code;
}

describe('JobQueue', () => {
  it('claims by priority, then age, across services', async () => {
    const queue = createQueue();
    const low = await queue.submit({ service: 'a', payload: {}, priority: 10 });
    const highOld = await queue.submit({ service: 'b', payload: {}, priority: 90 });
    const highNew = await queue.submit({ service: 'a', payload: {}, priority: 90 });
    const zero = await queue.submit({ service: 'b', payload: {}, priority: 0 });

    const order: string[] = [];
    for (let i = 0; i < 4; i++) order.push((await claimOne(queue, 'worker-1', ['a', 'b'])).id);

    assert.deepEqual(order, [highOld.id, highNew.id, low.id, zero.id]);
    assert.deepEqual(await queue.claim('worker-1', ['a', 'b']), { job: null, nextRetryInMs: null });
  });

  it('claims only jobs of the given services', async () => {
    const queue = createQueue();
    await queue.submit({ service: 'translate', payload: {} });

    assert.equal((await queue.claim('worker-1', ['mock'])).job, null);
    assert.equal((await claimOne(queue, 'worker-1', ['translate'])).service, 'translate');
  });

  it('claim marks the job assigned with a lease', async () => {
    const clock = { now: 1_000_000 };
    const queue = createQueue(clock);
    await queue.submit({ service: 'mock', payload: { x: 1 } });

    const job = await claimOne(queue);

    assert.equal(job.status, 'assigned');
    assert.equal(job.attempt, 1);
    assert.equal(job.workerId, 'worker-1');
    assert.equal(job.leaseExpiresAt, 1_001_000);
    assert.deepEqual(job.payload, { x: 1 });
    assert.equal(await queue.redis.zscore(queue.keys.active(), job.id), '1001000');
  });

  it('completeAndClaim completes, then claims by priority', async () => {
    const clock = { now: 1_000_000 };
    const queue = createQueue(clock);
    await queue.submit({ service: 'a', payload: {} });
    const job = await claimOne(queue, 'worker-1', ['a', 'b']);
    await queue.start(job, 'worker-1', 'mock');
    const low = await queue.submit({ service: 'a', payload: {}, priority: 10 });
    const high = await queue.submit({ service: 'b', payload: { y: 2 }, priority: 90 });
    clock.now += 5;

    const next = await queue.completeAndClaim(job, 'worker-1', { ok: true }, ['a', 'b']);

    const done = await queue.get(job.id);
    assert.equal(done?.status, 'completed');
    assert.deepEqual(done?.result, { ok: true });
    assert.equal(await queue.redis.zscore(queue.keys.active(), job.id), null);
    assert.equal(next.job?.id, high.id);
    assert.equal(next.job?.status, 'assigned');
    assert.equal(next.job?.attempt, 1);
    assert.equal(next.job?.workerId, 'worker-1');
    assert.equal(next.job?.leaseExpiresAt, 1_001_005);
    assert.deepEqual(next.job?.payload, { y: 2 });
    assert.equal(await queue.redis.zscore(queue.keys.active(), high.id), '1001005');
    assert.equal((await claimOne(queue, 'worker-2', ['a', 'b'])).id, low.id);
  });

  it('completeAndClaim reports an empty queue', async () => {
    const queue = createQueue();
    await queue.submit({ service: 'mock', payload: {} });
    const job = await claimOne(queue);

    const next = await queue.completeAndClaim(job, 'worker-1', null, ['mock']);

    assert.deepEqual(next, { job: null, nextRetryInMs: null });
    assert.equal((await queue.get(job.id))?.status, 'completed');
  });

  it('completeAndClaim claims nothing when rejected', async () => {
    const queue = createQueue();
    await queue.submit({ service: 'mock', payload: {} });
    const waiting = await queue.submit({ service: 'mock', payload: {} });
    const job = await claimOne(queue);

    assert.equal(await rejection(queue.completeAndClaim(job, 'worker-2', 'stolen', ['mock'])), ScriptErrorCode.NotOwner);
    assert.equal((await queue.get(job.id))?.status, 'assigned');
    assert.equal((await queue.get(waiting.id))?.status, 'pending');
  });

  it('completeAndClaim records both transitions as events', async () => {
    const queue = createQueue();
    await queue.submit({ service: 'mock', payload: {} });
    const waiting = await queue.submit({ service: 'mock', payload: {} });
    const job = await claimOne(queue);
    await queue.start(job, 'worker-1', 'mock');

    await queue.completeAndClaim(job, 'worker-1', 'done', ['mock']);

    const statuses = async (id: string) =>
      (await queue.redis.xrange(queue.keys.events(id), '-', '+')).map(([, fields]) => JSON.parse(fields[3]).status);
    assert.deepEqual(await statuses(job.id), ['pending', 'assigned', 'in_progress', 'completed']);
    assert.deepEqual(await statuses(waiting.id), ['pending', 'assigned']);
  });

  it('schedules a retryable failure with backoff', async () => {
    const clock = { now: 1_000_000 };
    const queue = createQueue(clock);
    await queue.submit({ service: 'mock', payload: {}, maxAttempts: 3 });
    const job = await claimOne(queue);

    const outcome = await queue.fail(job, 'worker-1', { error: { message: 'busy', kind: 'http_503', retryable: true } });

    assert.deepEqual(outcome, { retryAt: 1_000_100 });
    assert.deepEqual(await queue.claim('worker-1', ['mock']), { job: null, nextRetryInMs: 100 });
    clock.now += 100;
    const retried = await claimOne(queue);
    assert.equal(retried.attempt, 2);
    assert.equal(retried.error?.message, 'busy');
  });

  it('caps the backoff and honours Retry-After', async () => {
    const clock = { now: 1_000_000 };
    const queue = createQueue(clock);
    await queue.submit({ service: 'mock', payload: {}, maxAttempts: 5 });

    let job = await claimOne(queue);
    await queue.fail(job, 'worker-1', { error: { message: 'slow down', kind: 'http_429', retryable: true }, retryAfterMs: 2_000 });
    assert.deepEqual(await queue.claim('worker-1', ['mock']), { job: null, nextRetryInMs: 2_000 });

    clock.now += 2_000;
    job = await claimOne(queue);
    clock.now += 10;
    const second = await queue.fail(job, 'worker-1', { error: { message: 'busy', kind: 'http_503', retryable: true } });
    assert.deepEqual(second, { retryAt: clock.now + 150 });
  });

  it('fails a permanent error at once', async () => {
    const queue = createQueue();
    const submitted = await queue.submit({ service: 'mock', payload: {}, maxAttempts: 3 });
    const job = await claimOne(queue);

    const outcome = await queue.fail(job, 'worker-1', { error: { message: 'refused', kind: 'http_400', retryable: false } });

    assert.deepEqual(outcome, { retryAt: null });
    const stored = await queue.get(submitted.id);
    assert.equal(stored?.status, 'failed');
    assert.equal(stored?.attempt, 1);
    assert.equal(await queue.redis.zcard(queue.keys.active()), 0);
  });

  it('fails a retryable error on the last attempt', async () => {
    const queue = createQueue();
    await queue.submit({ service: 'mock', payload: {}, maxAttempts: 1 });
    const job = await claimOne(queue);

    assert.deepEqual(await queue.fail(job, 'worker-1', { error: { message: 'busy', kind: 'x', retryable: true } }), { retryAt: null });
    assert.equal((await queue.get(job.id))?.status, 'failed');
  });

  it('rejects writes from a worker that does not own the job', async () => {
    const queue = createQueue();
    await queue.submit({ service: 'mock', payload: {} });
    const job = await claimOne(queue);

    assert.equal(await rejection(queue.complete(job, 'worker-2', 'stolen')), ScriptErrorCode.NotOwner);
    assert.equal(await rejection(queue.progress({ ...job, attempt: 2 }, 'worker-1', 10)), ScriptErrorCode.NotOwner);
    assert.equal((await queue.get(job.id))?.status, 'assigned');
  });

  it('rejects writes after a cancel', async () => {
    const queue = createQueue();
    await queue.submit({ service: 'mock', payload: {} });
    const job = await claimOne(queue);
    await queue.start(job, 'worker-1', 'mock');

    assert.deepEqual(await queue.cancel(job.id), { wasRunning: true });
    assert.equal(await rejection(queue.complete(job, 'worker-1', 'late')), ScriptErrorCode.JobCancelled);
    assert.equal(await rejection(queue.cancel(job.id)), ScriptErrorCode.JobFinished);
    assert.equal((await queue.get(job.id))?.result, null);
  });

  it('cancels a pending job out of its queue', async () => {
    const queue = createQueue();
    const job = await queue.submit({ service: 'mock', payload: {} });

    assert.deepEqual(await queue.cancel(job.id), { wasRunning: false });
    assert.equal((await queue.claim('worker-1', ['mock'])).job, null);
    assert.equal(await rejection(queue.cancel('00000000-0000-4000-8000-000000000000')), ScriptErrorCode.JobNotFound);
  });

  it('complete repeated by its owner succeeds once', async () => {
    const queue = createQueue();
    await queue.submit({ service: 'mock', payload: {} });
    const job = await claimOne(queue);

    await queue.complete(job, 'worker-1', 'first');
    await queue.complete(job, 'worker-1', 'resent');

    assert.equal((await queue.get(job.id))?.result, 'first');
    assert.equal(await rejection(queue.complete(job, 'worker-2', 'other')), ScriptErrorCode.NotOwner);
  });

  it('start repeated by its owner records one start', async () => {
    const queue = createQueue();
    await queue.submit({ service: 'mock', payload: {} });
    const job = await claimOne(queue);

    await queue.start(job, 'worker-1', 'mock');
    await queue.start(job, 'worker-1', 'mock');

    assert.equal(await statusEvents(queue, job.id), 'pending assigned in_progress');
    assert.equal(await rejection(queue.start(job, 'worker-2', 'mock')), ScriptErrorCode.NotOwner);
  });

  it('fail repeated by its owner records one retry', async () => {
    const queue = createQueue();
    await queue.submit({ service: 'mock', payload: {}, maxAttempts: 2 });
    const job = await claimOne(queue);
    const failure = { error: { message: 'busy', kind: 'http_503', retryable: true } };

    const first = await queue.fail(job, 'worker-1', failure);
    const resent = await queue.fail(job, 'worker-1', failure);

    assert.deepEqual(resent, first);
    assert.equal(await statusEvents(queue, job.id), 'pending assigned pending');
    assert.equal(await rejection(queue.fail(job, 'worker-2', failure)), ScriptErrorCode.NotOwner);
  });

  it('fail repeated by its owner fails the job once', async () => {
    const queue = createQueue();
    await queue.submit({ service: 'mock', payload: {} });
    const job = await claimOne(queue);
    const failure = { error: { message: 'refused', kind: 'http_400', retryable: false } };

    assert.deepEqual(await queue.fail(job, 'worker-1', failure), { retryAt: null });
    assert.deepEqual(await queue.fail(job, 'worker-1', failure), { retryAt: null });

    assert.equal(await statusEvents(queue, job.id), 'pending assigned failed');
  });

  it('fail after the reaper failed the job is rejected', async () => {
    const clock = { now: 1_000_000 };
    const queue = createQueue(clock);
    await queue.submit({ service: 'mock', payload: {}, maxAttempts: 1 });
    const job = await claimOne(queue);
    clock.now += 1_001;
    await queue.reapExpiredLeases();

    const late = queue.fail(job, 'worker-1', { error: { message: 'late', kind: 'http_503', retryable: true } });

    assert.equal(await rejection(late), ScriptErrorCode.NotOwner);
    assert.equal((await queue.get(job.id))?.error?.kind, 'lease_expired');
  });

  it('release repeated by its owner hands back once', async () => {
    const queue = createQueue();
    await queue.submit({ service: 'mock', payload: {} });
    const job = await claimOne(queue);

    await queue.release(job, 'worker-1');
    await queue.release(job, 'worker-1');

    assert.equal(await statusEvents(queue, job.id), 'pending assigned pending');
    const again = await claimOne(queue, 'worker-2');
    assert.equal(again.attempt, 1);
    assert.equal(await rejection(queue.release(job, 'worker-1')), ScriptErrorCode.NotOwner);
  });

  it('release returns the attempt and the place', async () => {
    const queue = createQueue();
    const first = await queue.submit({ service: 'mock', payload: {} });
    await queue.submit({ service: 'mock', payload: {} });
    const job = await claimOne(queue);

    await queue.release(job, 'worker-1');

    const again = await claimOne(queue, 'worker-2');
    assert.equal(again.id, first.id);
    assert.equal(again.attempt, 1);
  });

  it('reaps expired leases to pending, then to failed', async () => {
    const clock = { now: 1_000_000 };
    const queue = createQueue(clock);
    await queue.submit({ service: 'mock', payload: {}, maxAttempts: 2 });

    let job = await claimOne(queue);
    assert.deepEqual(await queue.reapExpiredLeases(), []);
    clock.now += 1_001;
    assert.deepEqual(await queue.reapExpiredLeases(), [{ id: job.id, status: 'pending', workerId: 'worker-1', attempt: 1 }]);
    assert.equal(await rejection(queue.complete(job, 'worker-1', 'late')), ScriptErrorCode.NotOwner);

    job = await claimOne(queue, 'worker-2');
    assert.equal(job.attempt, 2);
    clock.now += 1_001;
    assert.deepEqual(await queue.reapExpiredLeases(), [{ id: job.id, status: 'failed', workerId: 'worker-2', attempt: 2 }]);
    assert.equal((await queue.get(job.id))?.error?.kind, 'lease_expired');
  });

  it('renewing a lease keeps the reaper away', async () => {
    const clock = { now: 1_000_000 };
    const queue = createQueue(clock);
    await queue.submit({ service: 'mock', payload: {} });
    const job = await claimOne(queue);

    clock.now += 900;
    await queue.renewLease(job, 'worker-1');
    clock.now += 900;

    assert.deepEqual(await queue.reapExpiredLeases(), []);
  });
});
