import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';

import { PrivateRedisServer } from '../support/redis-harness';
import { eventually } from '../support/eventually';
import { jobHistory } from '../support/job-history';
import type { JobWorld } from '../worlds/job-world';

Given('the system runs on its own Redis server, which keeps its data on disk', { timeout: 20_000 }, async function (this: JobWorld) {
  await this.moveToPrivateRedis(10);
});

When('Redis stops while jobs are still waiting or running', async function (this: JobWorld) {
  expect(this.logs.records('job completed').length, 'jobs completed before Redis stopped').to.be.lessThan(this.jobIds.size);
  await requirePrivateRedis(this).stop(true);
});

When('Redis starts again on its saved data', { timeout: 15_000 }, async function (this: JobWorld) {
  const stopped = requirePrivateRedis(this);
  this.privateRedis = await PrivateRedisServer.start({ appendOnly: true, port: stopped.port, dir: stopped.dir });
});

Then('the health check reports Redis down', async function (this: JobWorld) {
  const response = await this.request('get', '/health');
  expect(response.status).to.equal(503);
  expect(response.body).to.deep.equal({ status: 'unavailable', redis: 'down' });
});

Then('the health check reports Redis up', async function (this: JobWorld) {
  await eventually(async () => {
    const response = await this.request('get', '/health');
    expect(response.status).to.equal(200);
  });
});

Then('every worker waits for work on Redis again and listens for cancellations', async function (this: JobWorld) {
  const workerIds = this.pools.at(-1)!.workers.map((worker) => worker.id);
  await eventually(async () => {
    const clients = String(await this.requireQueue().redis.client('LIST'));
    for (const id of workerIds) {
      expect(clients, `blocking connection of worker ${id}`).to.match(new RegExp(`name=conveyor-worker-${id} .*cmd=blpop`));
    }
    expect(clients).to.match(/name=conveyor-cancel-subscriber .*cmd=subscribe/);
  });
});

Then('every job completed exactly once, by its history in Redis and by the worker logs', { timeout: 30_000 }, async function (this: JobWorld) {
  const completions = new Map<string, number>();
  for (const record of this.logs.records('job completed')) {
    completions.set(String(record.jobId), (completions.get(String(record.jobId)) ?? 0) + 1);
  }
  for (const [name, id] of this.jobIds) {
    expect(completions.get(id), `completions of ${name} in the worker logs`).to.equal(1);
    const completedEvents = (await jobHistory(this.requireQueue(), id)).filter((event) => event.type === 'status' && event.data.status === 'completed');
    expect(completedEvents, `completed events of ${name} in Redis`).to.have.length(1);
  }
});

function requirePrivateRedis(world: JobWorld): PrivateRedisServer {
  if (!world.privateRedis) throw new Error('The scenario runs on the suite Redis: add "Given the system runs on its own Redis server, which keeps its data on disk".');
  return world.privateRedis;
}
