import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';

import { MOCK_CONNECTOR_TYPES } from '../src/connectors/connector-manager';
import type { WorkerRecord } from '../src/queue/worker-registry';
import type { JobWorld } from '../worlds/job-world';

When('a client asks whether the system is healthy', async function (this: JobWorld) {
  await this.request('get', '/health');
});

Then('the system reports itself healthy', function (this: JobWorld) {
  expect(this.lastResponse?.status).to.equal(200);
  expect(this.lastResponse?.body).to.deep.include({ status: 'ok', redis: 'up' });
});

Then('the phase report says production with mock mode off', function (this: JobWorld) {
  expect(this.lastResponse?.status).to.equal(200);
  expect(this.lastResponse?.body).to.deep.include({ phase: 'production', mock_mode: false, worker_mode: 'real' });
  expect(this.lastResponse?.body.node_env).to.not.equal('test');
});

Then('at least {int} worker(s) is/are registered', async function (this: JobWorld, minimum: number) {
  const { body } = await this.request<{ workers: WorkerRecord[] }>('get', '/api/workers');
  expect(body.workers, 'workers registered with the deployed API').to.have.length.at.least(minimum);
});

Then('every registered worker reports test phase {string} and a real connector', async function (this: JobWorld, phase: string) {
  const { body } = await this.request<{ workers: WorkerRecord[] }>('get', '/api/workers');
  for (const worker of body.workers) {
    expect(worker.test_phase, worker.worker_id).to.equal(phase);
    expect(MOCK_CONNECTOR_TYPES, worker.worker_id).not.to.include(worker.connector_type);
  }
});

When('a client without a token asks for the list of workers', async function (this: JobWorld) {
  await this.request('get', '/api/workers', undefined, { authorization: '' });
});

Then('the request is rejected as unauthorized', function (this: JobWorld) {
  expect(this.lastResponse?.status).to.equal(401);
  expect(String(this.lastResponse?.body.message)).to.contain('bearer token');
});

When('a client submits the smoke job', async function (this: JobWorld) {
  const response = await this.submit('smoke', this.smokeJob());
  expect(response.status, JSON.stringify(response.body)).to.equal(201);
});

Then('the smoke job completes within {int} seconds', { timeout: 180_000 }, async function (this: JobWorld, seconds: number) {
  // A deployed system is polled every 500 ms, not at the in-process suite's pace.
  await this.jobWithStatus('smoke', 'completed', seconds * 1000, 500);
});
