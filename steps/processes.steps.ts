import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';

import type { WorkerRecord } from '../src/queue/worker-registry';
import { parseConfiguration } from '../support/conveyor-process';
import { eventually } from '../support/eventually';
import type { JobWorld } from '../worlds/job-world';

When('a worker process is started with each of these configurations:', { timeout: 60_000 }, async function (this: JobWorld, table: { hashes(): { configuration: string; message: string }[] }) {
  for (const row of table.hashes()) {
    const child = this.startProcess({ entry: 'worker' }, parseConfiguration(row.configuration));
    this.refusals.push({ ...row, child, code: null });
  }
  for (const refusal of this.refusals) refusal.code = (await refusal.child.exited).code;
});

Then('every one of them refuses to start with its message', function (this: JobWorld) {
  for (const refusal of this.refusals) {
    expect(refusal.code, `exit code with ${refusal.configuration}`).to.equal(1);
    expect(refusal.child.output, `output with ${refusal.configuration}`).to.contain(refusal.message);
    expect(refusal.child.output).to.match(/^Start-up failed: Invalid configuration for /);
  }
});

Then('none of them registered a worker', async function (this: JobWorld) {
  for (const refusal of this.refusals) expect(refusal.child.output).not.to.contain('workers started');
  expect(await this.requireQueue().redis.scard(this.requireQueue().keys.workers())).to.equal(0);
});

Given('a worker process runs the {string} script', { timeout: 30_000 }, async function (this: JobWorld, script: string) {
  const child = this.startProcess({ script }, {});
  await eventually(() => expect(child.output).to.contain('workers started'), { timeoutMs: 25_000, intervalMs: 50 });
});

Then('job {string} was run by a worker in another process that registered as test phase {string}', async function (this: JobWorld, name: string, phase: string) {
  const job = await this.job(name);
  const { body } = await this.request<{ workers: WorkerRecord[] }>('get', '/api/workers');
  const worker = body.workers.find((candidate) => candidate.worker_id === job.worker_id);
  expect(worker, `worker ${job.worker_id} is not registered`).to.not.equal(undefined);
  expect(worker!.pid).to.not.equal(process.pid);
  expect(worker!.test_phase).to.equal(phase);
});
