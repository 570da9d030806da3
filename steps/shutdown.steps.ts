import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { connect } from 'node:net';

import { eventually } from '../support/eventually';
import { describeExit, type ConveyorProcess } from '../support/conveyor-process';
import { SseClient } from '../support/sse-client';
import type { JobWorld } from '../worlds/job-world';

Given('an API process is running', { timeout: 30_000 }, async function (this: JobWorld) {
  await this.startSystemProcess('api');
});

When('the {word} process is asked to stop', async function (this: JobWorld, entryPoint: string) {
  const child = latestProcess(this, entryPoint);
  child.signal('SIGTERM');
  await child.waitForLog('shutting down', 5_000);
});

When('the {word} process is asked to stop twice', async function (this: JobWorld, entryPoint: string) {
  const child = latestProcess(this, entryPoint);
  child.signal('SIGTERM');
  await child.waitForLog('shutting down', 5_000);
  child.signal('SIGINT');
});

Then('the {word} process exits with status {int}', { timeout: 15_000 }, async function (this: JobWorld, entryPoint: string, status: number) {
  const exit = await latestProcess(this, entryPoint).exited;
  expect(describeExit(exit)).to.equal(`exit code ${status}`);
});

Then('job {string} was completed on attempt 1 by the worker process', async function (this: JobWorld, name: string) {
  const job = await this.job(name);
  expect(job.status).to.equal('completed');
  expect(job.attempt).to.equal(1);
  expect(job.worker_id).to.equal(this.workerRoles.get('process'));
});

Then('job {string} is pending again without a spent attempt', async function (this: JobWorld, name: string) {
  const job = await this.job(name);
  expect(job.status).to.equal('pending');
  expect(job.attempt).to.equal(0);
  expect(job.worker_id).to.equal(null);
  const handedBack = latestProcess(this, 'worker').logged('job handed back to pending for shutdown');
  expect(handedBack.map((record) => record.jobId)).to.deep.equal([job.id]);
});

Then('job {string} was never claimed', async function (this: JobWorld, name: string) {
  const job = await this.job(name);
  expect(job.status).to.equal('pending');
  expect(job.attempt).to.equal(0);
});

Then('job {string} was still running when the worker process exited', async function (this: JobWorld, name: string) {
  const job = await this.job(name);
  expect(job.status).to.equal('in_progress');
  expect(job.worker_id).to.equal(this.workerRoles.get('process'));
  expect(latestProcess(this, 'worker').logged('job handed back to pending for shutdown')).to.have.length(0);
  this.workerRoles.set('stopped', job.worker_id!);
});

When('a client follows the events of job {string} through the API process', async function (this: JobWorld, name: string) {
  const client = new SseClient(`${apiAddress(this)}/api/jobs/${this.jobId(name)}/events`);
  this.eventStreams.set(name, client);
  this.onCleanup(`close the event stream of job "${name}"`, async () => client.close());
  await eventually(() => expect(client.events.length).to.be.greaterThan(0));
});

Then('the event stream of job {string} was ended by the API', async function (this: JobWorld, name: string) {
  await this.eventStreams.get(name)!.done;
});

Then('the API process no longer accepts connections', async function (this: JobWorld) {
  const address = new URL(apiAddress(this));
  const refused = await new Promise<boolean>((resolve) => {
    const socket = connect(Number(address.port), address.hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
  expect(refused, `${address.host} still accepts connections`).to.equal(true);
});

/** Returns the address the API process logged when it started listening. */
function apiAddress(world: JobWorld): string {
  const started = latestProcess(world, 'api').records.find((record) => String(record.msg).startsWith('API listening'));
  return String(started!.address);
}

function latestProcess(world: JobWorld, entryPoint: string): ConveyorProcess {
  const name = entryPoint.toLowerCase();
  const child = world.processes.filter((candidate) => candidate.entryPoint === name).at(-1);
  if (!child) throw new Error(`No ${name} process was started in this scenario.`);
  return child;
}
