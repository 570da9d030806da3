import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { expect } from 'chai';

import { eventually } from '../support/eventually';
import { jobHistory } from '../support/job-history';
import type { JobWorld } from '../worlds/job-world';

// Steps that read the same in both phases. support/phase-flow.ts scripts them for each phase.

Given('jobs run on the {word} service', async function (this: JobWorld, service: string) {
  await this.flow.useService(this, service);
});

Given('the service fails the first request with a retryable error', function (this: JobWorld) {
  this.flow.retryableFailures = 1;
});

Given('the service fails the first {int} requests with a retryable error', function (this: JobWorld, count: number) {
  this.flow.retryableFailures = count;
});

Given('the service rejects the job with a permanent error', function (this: JobWorld) {
  this.flow.permanentFailure = true;
});

Given('the service reports progress while it works', function (this: JobWorld) {
  this.flow.reportsProgress = true;
});

Given('the service works on the job until it is cancelled', function (this: JobWorld) {
  this.flow.runsUntilCancelled = true;
});

Given('the phases may differ in:', function (this: JobWorld, table: DataTable) {
  for (const row of table.hashes() as { what?: string; why?: string }[]) {
    if (!row.what?.trim() || !row.why?.trim()) throw new Error('Each expected difference needs a "what" (the start of the differing lines) and a "why".');
    this.declaredPhaseDifferences.push({ what: row.what.trim(), why: row.why.trim() });
  }
});

When('a client submits a job {string}', async function (this: JobWorld, name: string) {
  await this.flow.submit(this, name);
});

When('job {string} has reported progress', async function (this: JobWorld, name: string) {
  await eventually(async () => {
    const job = await this.job(name);
    expect(job.status).to.equal('in_progress');
    expect(job.progress_message, `progress message of job "${name}"`).to.be.a('string');
  });
});

Then('job {string} fails on attempt {int}', async function (this: JobWorld, name: string, attempt: number) {
  const job = await this.jobWithStatus(name, 'failed');
  this.checkedFailures.add(job.id);
  expect(job.attempt).to.equal(attempt);
});

Then('job {string} reported progress before it completed', async function (this: JobWorld, name: string) {
  await this.jobWithStatus(name, 'completed');
  const events = await jobHistory(this.requireQueue(), this.jobId(name));
  const progress = events.findIndex((event) => event.type === 'progress');
  const completion = events.findIndex((event) => event.type === 'status' && event.data.status === 'completed');
  expect(progress, `events of job "${name}": ${JSON.stringify(events)}`).to.be.greaterThan(-1);
  expect(progress).to.be.lessThan(completion);
});
