import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';

import type { JobWorld } from '../worlds/job-world';

/**
 * Steps of the @recordable scenarios. They check only what every correct reply of the real
 * service satisfies, so they pass on hand-written fixtures, on a recording and while recording.
 * A real service can take far longer than a fixture, so they wait up to the step's time limit.
 */

/** How long a step waits for a real service's reply, in ms; below RECORDABLE_STEP_TIMEOUT_MS. */
const REPLY_WAIT_MS = 110_000;
const RECORDABLE_STEP_TIMEOUT_MS = 120_000;

Then('job {string} completes with a reply from the model', { timeout: RECORDABLE_STEP_TIMEOUT_MS }, async function (this: JobWorld, name: string) {
  const result = (await this.jobWithStatus(name, 'completed', REPLY_WAIT_MS)).result as { message?: { content?: unknown }; response?: unknown };
  const reply = result.message?.content ?? result.response;
  expect(reply, `the reply of job "${name}"`).to.be.a('string').that.is.not.empty;
});

Then('job {string} completes with {int} embeddings of equal length', { timeout: RECORDABLE_STEP_TIMEOUT_MS }, async function (this: JobWorld, name: string, count: number) {
  const result = (await this.jobWithStatus(name, 'completed', REPLY_WAIT_MS)).result as { embeddings: number[][] };
  expect(result.embeddings).to.have.length(count);
  const length = result.embeddings[0].length;
  expect(length, 'the length of the first vector').to.be.above(0);
  for (const vector of result.embeddings) {
    expect(vector).to.have.length(length);
    for (const value of vector) expect(value).to.be.a('number');
  }
});

Then('job {string} completes with {int} image file(s) of output node {string}', { timeout: RECORDABLE_STEP_TIMEOUT_MS }, async function (this: JobWorld, name: string, count: number, node: string) {
  const result = (await this.jobWithStatus(name, 'completed', REPLY_WAIT_MS)).result as { files: Record<string, unknown>[] };
  expect(result.files).to.have.length(count);
  for (const file of result.files) {
    expect(file).to.include({ node_id: node, output: 'images', type: 'output' });
    expect(file.size_bytes).to.be.a('number').above(0);
    expect(file.sha256).to.match(/^[0-9a-f]{64}$/);
  }
});

