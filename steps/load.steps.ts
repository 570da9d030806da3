import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';

import { eventually } from '../support/eventually';
import { jobHistory, statusesOf } from '../support/job-history';
import { mockJob } from '../support/mock-jobs';
import type { JobWorld } from '../worlds/job-world';

When('a client submits {int} mock jobs that take {int} ms each', { timeout: 30_000 }, async function (this: JobWorld, count: number, delayMs: number) {
  for (let index = 1; index <= count; index++) {
    const response = await this.submit(`job-${index}`, mockJob({ delay_ms: delayMs, result: { index } }));
    expect(response.status).to.equal(201);
  }
});

When('clients submit {int} mock jobs that take {int} ms each, {int} at a time', { timeout: 60_000 }, async function (this: JobWorld, count: number, delayMs: number, concurrency: number) {
  for (let first = 1; first <= count; first += concurrency) {
    const batch: Promise<unknown>[] = [];
    for (let index = first; index < first + concurrency && index <= count; index++) {
      batch.push(this.submit(`job-${index}`, mockJob({ delay_ms: delayMs, result: { index } })).then((response) => expect(response.status, `job-${index}`).to.equal(201)));
    }
    await Promise.all(batch);
  }
  expect(this.jobIds.size).to.equal(count);
});

Then('all {int} jobs complete within {int} seconds', { timeout: 60_000 }, async function (this: JobWorld, count: number, seconds: number) {
  await eventually(() => expect(this.logs.records('job completed')).to.have.length.at.least(count), { timeoutMs: seconds * 1000, intervalMs: 50 });
  for (const [name, id] of this.jobIds) {
    const job = await this.requireQueue().get(id);
    expect(job?.status, name).to.equal('completed');
    expect(job?.result, name).to.deep.equal({ index: Number(name.replace('job-', '')) });
  }
});

Then('every job completed exactly once', async function (this: JobWorld) {
  const completions = new Map<string, number>();
  for (const record of this.logs.records('job completed')) {
    completions.set(String(record.jobId), (completions.get(String(record.jobId)) ?? 0) + 1);
  }
  for (const [name, id] of this.jobIds) {
    expect(completions.get(id), `runs of ${name}`).to.equal(1);
    const statuses = statusesOf(await jobHistory(this.requireQueue(), id));
    expect(statuses, name).to.deep.equal(['pending', 'assigned', 'in_progress', 'completed']);
  }
});

Then('no job is left waiting, running or scheduled for a retry', async function (this: JobWorld) {
  const queue = this.requireQueue();
  expect(await queue.redis.zcard(queue.keys.active()), 'jobs holding a lease').to.equal(0);
  expect(await queue.pendingCount('mock'), 'jobs waiting or scheduled for a retry').to.equal(0);
});

Then('the work was shared by at least {int} workers', function (this: JobWorld, minimum: number) {
  const workers = new Set(this.logs.records('job completed').map((record) => record.workerId));
  expect(workers.size).to.be.at.least(minimum);
});
