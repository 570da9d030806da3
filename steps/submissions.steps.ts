import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';

import { badSubmission } from '../support/bad-submissions';
import type { JobWorld } from '../worlds/job-world';

When('a client submits a job with {}', async function (this: JobWorld, problem: string) {
  this.keysBefore = await this.countScenarioKeys();
  const { contentType, body } = badSubmission(problem);
  await this.requestRaw('post', '/api/jobs', body, contentType);
});

Then('the submission is rejected with status {int} and a message containing {string}', function (this: JobWorld, status: number, message: string) {
  expect(this.lastResponse?.status, JSON.stringify(this.lastResponse?.body)).to.equal(status);
  expect(String(this.lastResponse?.body.message)).to.contain(message);
});

Then('nothing was stored for the rejected submission', async function (this: JobWorld) {
  expect(await this.countScenarioKeys()).to.equal(this.keysBefore);
});
