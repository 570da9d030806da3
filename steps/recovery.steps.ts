import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';

import type { WorkerRecord } from '../src/queue/worker-registry';
import { eventually } from '../support/eventually';
import { SUITE_TIMING, type JobWorld } from '../worlds/job-world';

Given('a worker that can be cut off from Redis is the only worker', async function (this: JobWorld) {
  await this.stopAllWorkers();
  const { pool } = await this.startSeverableWorkers(1);
  this.workerRoles.set('severable', pool.workers[0].id);
});

Given('a worker whose heartbeat is slower than its lease is the only worker', async function (this: JobWorld) {
  await this.stopAllWorkers();
  const pool = await this.startWorkers([{ type: 'mock', count: 1 }], undefined, { heartbeatMs: SUITE_TIMING.leaseMs * 10 });
  this.workerRoles.set('stalled', pool.workers[0].id);
});

Given('a worker process is the only worker', { timeout: 30_000 }, async function (this: JobWorld) {
  await this.stopAllWorkers();
  await startWorkerProcess(this, {});
});

Given('a worker process with a shutdown grace period of {int} ms is the only worker', { timeout: 30_000 }, async function (this: JobWorld, graceMs: number) {
  await this.stopAllWorkers();
  await startWorkerProcess(this, { WORKER_SHUTDOWN_GRACE_MS: String(graceMs) });
});

When('the worker running job {string} crashes', async function (this: JobWorld, name: string) {
  const job = await this.job(name);
  expect(job.worker_id).to.equal(this.workerRoles.get('severable'));
  this.redisLinks.forEach((link) => link.sever());
  this.workerRoles.set('crashed', job.worker_id!);
});

When('the crashed worker reconnects after job {string} was given to another worker', async function (this: JobWorld, name: string) {
  const crashed = workerWithRole(this, 'crashed');
  await eventually(async () => expect((await this.job(name)).worker_id).to.not.equal(crashed), { timeoutMs: 10_000 });
  this.redisLinks.forEach((link) => link.restore());
});

Then('the crashed worker abandons job {string} because its lease renewal was rejected', async function (this: JobWorld, name: string) {
  const crashed = workerWithRole(this, 'crashed');
  const jobId = this.jobId(name);
  const abandoned = await eventually(() => {
    const records = this.logs.records('job abandoned: lease lost').filter((record) => record.jobId === jobId);
    expect(records, 'abandoned job log records').to.have.length(1);
    return records[0];
  });
  expect(abandoned.workerId).to.equal(crashed);
  const rejected = this.logs.records('lease renewal rejected; aborting the job').filter((record) => record.jobId === jobId);
  expect(rejected.map((record) => record.workerId)).to.deep.equal([crashed]);
});

Then('job {string} completes on attempt 1 with no lease taken back', { timeout: 20_000 }, async function (this: JobWorld, name: string) {
  const job = await this.jobWithStatus(name, 'completed', 15_000);
  expect(job.attempt).to.equal(1);
  expect(this.logs.records('lease expired; job returned to pending')).to.have.length(0);
});

When('the worker process is killed', async function (this: JobWorld) {
  const child = workerProcess(this);
  child.signal('SIGKILL');
  expect((await child.exited).signal).to.equal('SIGKILL');
  this.workerRoles.set('killed', this.workerRoles.get('process')!);
});

Then('job {string} is completed on attempt {int} by a worker other than the {word} one', { timeout: 20_000 }, async function (this: JobWorld, name: string, attempt: number, role: string) {
  const job = await this.jobWithStatus(name, 'completed', 15_000);
  expect(job.attempt).to.equal(attempt);
  expect(job.worker_id).to.not.equal(workerWithRole(this, role));
});

Then('exactly one reaper took job {string} back from the {word} worker', async function (this: JobWorld, name: string, role: string) {
  const recoveries = this.logs.records('lease expired; job returned to pending').filter((record) => record.jobId === this.jobId(name));
  expect(recoveries, 'reaper log records').to.have.length(1);
  expect(recoveries[0].workerId).to.equal(workerWithRole(this, role));
  expect(recoveries[0].attempt).to.equal(1);
});

Then('the late completion of job {string} by the {word} worker was rejected and logged', async function (this: JobWorld, name: string, role: string) {
  const rejected = await eventually(() => {
    const records = this.logs.records('write rejected: the worker no longer owns the job').filter((record) => record.jobId === this.jobId(name));
    expect(records, 'rejected write log records').to.have.length(1);
    return records[0];
  });
  expect(rejected.workerId).to.equal(workerWithRole(this, role));
  expect(rejected.operation).to.equal('complete');
  expect(String((rejected.err as { message: string }).message)).to.contain('no longer owns the job');
  expect((await this.job(name)).result).to.not.equal(undefined);
});

Then('the registration of the {word} worker expires', async function (this: JobWorld, role: string) {
  const id = workerWithRole(this, role);
  await eventually(async () => {
    const { body } = await this.request<{ workers: WorkerRecord[] }>('get', '/api/workers');
    expect(body.workers.map((worker) => worker.worker_id)).to.not.include(id);
  });
});

async function startWorkerProcess(world: JobWorld, env: NodeJS.ProcessEnv): Promise<void> {
  const child = await world.startSystemProcess('worker', env);
  const id = await eventually(async () => {
    const { body } = await world.request<{ workers: WorkerRecord[] }>('get', '/api/workers');
    const worker = body.workers.find((candidate) => candidate.pid === child.pid);
    expect(worker, `no registered worker has pid ${child.pid}`).to.not.equal(undefined);
    return worker!.worker_id;
  });
  world.workerRoles.set('process', id);
}

function workerProcess(world: JobWorld) {
  const child = world.processes.filter((candidate) => candidate.entryPoint === 'worker').at(-1);
  if (!child) throw new Error('No worker process was started in this scenario.');
  return child;
}

function workerWithRole(world: JobWorld, role: string): string {
  const id = world.workerRoles.get(role);
  if (!id) throw new Error(`No worker has the role "${role}" in this scenario; known: ${[...world.workerRoles.keys()].join(', ') || 'none'}.`);
  return id;
}


