import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';

import { eventually } from '../support/eventually';
import { jobHistory, statusesOf } from '../support/job-history';
import { mockJob } from '../support/mock-jobs';
import type { JobWorld } from '../worlds/job-world';

When('a client submits a mock job {string}', async function (this: JobWorld, name: string) {
  await this.submit(name, mockJob());
});

Given('a client has submitted a mock job {string}', async function (this: JobWorld, name: string) {
  expect((await this.submit(name, mockJob())).status).to.equal(201);
});

When('a client submits a mock job {string} whose result is {string}', async function (this: JobWorld, name: string, result: string) {
  await this.submit(name, mockJob({ result }));
});

When('a client submits a mock job {string} that takes {int} ms', async function (this: JobWorld, name: string, delayMs: number) {
  await this.submit(name, mockJob({ delay_ms: delayMs }));
});

Given('a client has submitted a mock job {string} that takes {int} ms', async function (this: JobWorld, name: string, delayMs: number) {
  expect((await this.submit(name, mockJob({ delay_ms: delayMs }))).status).to.equal(201);
});

When('a client submits a mock job {string} with no delay of its own', async function (this: JobWorld, name: string) {
  await this.submit(name, { service_required: 'mock', payload: {} });
});

When('a client submits a mock job {string} that reports progress {int} times', async function (this: JobWorld, name: string, steps: number) {
  await this.submit(name, mockJob({ delay_ms: 40 * (steps + 1), progress_steps: steps, result: { frames: steps } }));
});

Given('a client has submitted a mock job {string} that runs until cancelled', async function (this: JobWorld, name: string) {
  expect((await this.submit(name, mockJob({ hang: true }))).status).to.equal(201);
});

Given('a client has submitted a mock job {string} that completes', async function (this: JobWorld, name: string) {
  await this.submit(name, mockJob());
  await this.jobWithStatus(name, 'completed');
});

When('a client submits a mock job {string} that fails retryably on its first {int} attempts', async function (this: JobWorld, name: string, attempts: number) {
  await this.submit(name, mockJob({ fail: 'retryable', fail_attempts: attempts }, { max_attempts: attempts + 1 }));
});

When('a client submits a mock job {string} that fails permanently with {string}', async function (this: JobWorld, name: string, message: string) {
  await this.submit(name, mockJob({ fail: 'permanent', error_message: message }));
});

When('a client submits a mock job {string} with at most {int} attempts that always fails retryably', async function (this: JobWorld, name: string, attempts: number) {
  await this.submit(name, mockJob({ fail: 'retryable' }, { max_attempts: attempts }));
});

When('a client submits a {string} job {string}', async function (this: JobWorld, service: string, name: string) {
  await this.submit(name, mockJob({}, { service_required: service }));
});

Given('these mock jobs are waiting:', async function (this: JobWorld, table: { hashes(): { job: string; priority: string }[] }) {
  for (const row of table.hashes()) {
    expect((await this.submit(row.job, mockJob({}, { priority: Number(row.priority) }))).status).to.equal(201);
  }
});

When('a client reads a job that was never submitted', async function (this: JobWorld) {
  await this.request('get', '/api/jobs/00000000-0000-4000-8000-000000000000');
});

When('the client cancels job {string}', async function (this: JobWorld, name: string) {
  await this.request('post', `/api/jobs/${this.jobId(name)}/cancel`);
});

Then('the submission is accepted as pending', function (this: JobWorld) {
  expect(this.lastResponse?.status, JSON.stringify(this.lastResponse?.body)).to.equal(201);
  expect(this.lastResponse?.body.status).to.equal('pending');
});

Then('job {string} has priority {int} and at most {int} attempts', async function (this: JobWorld, name: string, priority: number, attempts: number) {
  const job = await this.job(name);
  expect(job.priority).to.equal(priority);
  expect(job.max_attempts).to.equal(attempts);
});

Then('job {string} completes', async function (this: JobWorld, name: string) {
  await this.jobWithStatus(name, 'completed');
});

Then('job {string} completes within {int} seconds', { timeout: 20_000 }, async function (this: JobWorld, name: string, seconds: number) {
  await this.jobWithStatus(name, 'completed', seconds * 1000);
});

Then('job {string} completes with the result {string}', async function (this: JobWorld, name: string, result: string) {
  const job = await this.jobWithStatus(name, 'completed');
  expect(job.result, `result of job "${name}"`).to.equal(result);
});

Then('job {string} completes on attempt {int}', async function (this: JobWorld, name: string, attempt: number) {
  const job = await this.jobWithStatus(name, 'completed');
  expect(job.attempt, `attempt of job "${name}"`).to.equal(attempt);
});

Then('job {string} was run by the mock connector on its first attempt', async function (this: JobWorld, name: string) {
  const job = await this.job(name);
  expect(job.connector).to.equal('mock');
  expect(job.attempt).to.equal(1);
  expect(job.worker_id).to.match(/^mock-/);
  expect(job.started_at).to.be.a('string');
  expect(job.finished_at).to.be.a('string');
});

Then('job {string} is running', async function (this: JobWorld, name: string) {
  await eventually(async () => expect((await this.job(name)).status).to.equal('in_progress'));
});

Then('job {string} is running after {int} second(s)', async function (this: JobWorld, name: string, seconds: number) {
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  expect((await this.job(name)).status).to.equal('in_progress');
});

Then('job {string} is still pending after {int} ms', async function (this: JobWorld, name: string, ms: number) {
  await new Promise((resolve) => setTimeout(resolve, ms));
  const job = await this.job(name);
  expect(job.status).to.equal('pending');
  expect(job.attempt).to.equal(0);
});

Then('job {string} fails on attempt {int} with the error {string}', async function (this: JobWorld, name: string, attempt: number, message: string) {
  const job = await this.jobWithStatus(name, 'failed');
  this.checkedFailures.add(job.id);
  expect(job.attempt, `attempt of job "${name}"`).to.equal(attempt);
  expect(job.error?.message, `error message of job "${name}"`).to.equal(message);
});

Then('the error of job {string} is marked as not retryable', async function (this: JobWorld, name: string) {
  expect((await this.job(name)).error?.retryable).to.equal(false);
});

Then('the error of job {string} is marked as retryable', async function (this: JobWorld, name: string) {
  expect((await this.job(name)).error?.retryable).to.equal(true);
});

Then('the backoff of job {string} before its third attempt was longer than before its second', async function (this: JobWorld, name: string) {
  const retries = (await jobHistory(this.requireQueue(), this.jobId(name))).filter((event) => event.type === 'status' && event.data.run_at);
  expect(retries).to.have.length(2);
  const backoffs = retries.map((event) => Number(event.data.run_at) - event.at);
  expect(backoffs[1]).to.be.greaterThan(backoffs[0]);
});

Then('job {string} is cancelled', async function (this: JobWorld, name: string) {
  await eventually(async () => expect((await this.job(name)).status).to.equal('cancelled'));
});

Then('job {string} was never started', async function (this: JobWorld, name: string) {
  const job = await this.job(name);
  expect(job.attempt).to.equal(0);
  expect(job.started_at).to.equal(null);
  expect(statusesOf(await jobHistory(this.requireQueue(), job.id))).to.deep.equal(['pending', 'cancelled']);
});

Then('the cancellation is rejected because the job has already finished', function (this: JobWorld) {
  expect(this.lastResponse?.status).to.equal(409);
  expect(String(this.lastResponse?.body.message)).to.contain('has already finished with status completed');
});

Then('the request is rejected as not found', function (this: JobWorld) {
  expect(this.lastResponse?.status).to.equal(404);
  expect(String(this.lastResponse?.body.message)).to.match(/^Job ".+" not found\.$/);
});

Then('the jobs run in the order {}', async function (this: JobWorld, order: string) {
  const names = order.split(/, | and /);
  await eventually(() => expect(this.logs.records('job completed')).to.have.length(names.length));
  const completed = this.logs.records('job completed').map((record) => record.jobId);
  expect(completed).to.deep.equal(names.map((name) => this.jobId(name)));
});
