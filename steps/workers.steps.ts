import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';

import { MockConnector } from '../src/connectors/mock-connector';
import type { WorkerRecord } from '../src/queue/worker-registry';
import { eventually } from '../support/eventually';
import type { JobWorld } from '../worlds/job-world';

Given('no worker is running', async function (this: JobWorld) {
  await this.stopAllWorkers();
});

Given('only {int} mock worker(s) is/are running', async function (this: JobWorld, count: number) {
  await this.stopAllWorkers();
  await this.startWorkers([{ type: 'mock', count }]);
});

When('{int} mock worker(s) start(s)', async function (this: JobWorld, count: number) {
  await this.startWorkers([{ type: 'mock', count }]);
});

Given('{int} mock workers offer only the {string} service', async function (this: JobWorld, count: number, service: string) {
  const delayMs = this.environment!.connectorSettings.mockDelayMs;
  await this.startWorkers([{ type: 'mock', count }], () => new MockConnector(delayMs, [service]));
});

Then('{int} workers are registered', async function (this: JobWorld, count: number) {
  expect(await registeredWorkers(this)).to.have.length(count);
});

Then('every registered worker reports test phase {string}, connector {string} and the capability {string}', async function (this: JobWorld, phase: string, connector: string, capability: string) {
  for (const worker of await registeredWorkers(this)) {
    expect(worker.test_phase, worker.worker_id).to.equal(phase);
    expect(worker.connector_type, worker.worker_id).to.equal(connector);
    expect(worker.capabilities, worker.worker_id).to.deep.equal([capability]);
  }
});

Then('every registered worker is idle with no current job', async function (this: JobWorld) {
  for (const worker of await registeredWorkers(this)) {
    expect(worker.status, worker.worker_id).to.equal('idle');
    expect(worker.current_job_id, worker.worker_id).to.equal(null);
  }
});

Then('the worker running job {string} reports itself busy with that job', async function (this: JobWorld, name: string) {
  const job = await this.job(name);
  const worker = (await registeredWorkers(this)).find((candidate) => candidate.worker_id === job.worker_id);
  expect(worker, `worker ${job.worker_id} is not registered`).to.not.equal(undefined);
  expect(worker!.status).to.equal('busy');
  expect(worker!.current_job_id).to.equal(job.id);
});

Then('the worker that ran job {string} is idle again', async function (this: JobWorld, name: string) {
  const job = await this.job(name);
  await eventually(async () => {
    const worker = (await registeredWorkers(this)).find((candidate) => candidate.worker_id === job.worker_id);
    expect(worker?.status).to.equal('idle');
    expect(worker?.current_job_id).to.equal(null);
  });
  const outcomes = this.logs.lines.map((line) => JSON.parse(line)).filter((record) => record.jobId === job.id && record.outcome);
  expect(outcomes.map((record) => record.outcome)).to.deep.equal(['cancelled']);
});

Then('job {string} was run by a worker that offers {string}', async function (this: JobWorld, name: string, service: string) {
  const job = await this.job(name);
  const worker = (await registeredWorkers(this)).find((candidate) => candidate.worker_id === job.worker_id);
  expect(worker?.capabilities).to.deep.equal([service]);
});

async function registeredWorkers(world: JobWorld): Promise<WorkerRecord[]> {
  const response = await world.request<{ workers: WorkerRecord[] }>('get', '/api/workers');
  expect(response.status).to.equal(200);
  return response.body.workers;
}

Then('the registered workers are {int} {string} and {int} {string} workers of test phase {string}', async function (this: JobWorld, firstCount: number, firstType: string, secondCount: number, secondType: string, phase: string) {
  const workers = await registeredWorkers(this);
  for (const worker of workers) expect(worker.test_phase, worker.worker_id).to.equal(phase);
  expect(workers.filter((worker) => worker.connector_type === firstType)).to.have.length(firstCount);
  expect(workers.filter((worker) => worker.connector_type === secondType)).to.have.length(secondCount);
  expect(workers.find((worker) => worker.connector_type === firstType)?.capabilities).to.deep.equal([firstType]);
});
