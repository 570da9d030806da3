import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';

import { SseClient } from '../support/sse-client';
import type { JobWorld } from '../worlds/job-world';

When('the client follows the events of job {string}', function (this: JobWorld, name: string) {
  const client = new SseClient(`${this.baseUrl}/api/jobs/${this.jobId(name)}/events`);
  this.eventStreams.set(name, client);
  this.onCleanup(`close the event stream of job "${name}"`, async () => client.close());
});

Then('the client sees the statuses pending, assigned, in progress and completed in that order', async function (this: JobWorld) {
  const client = [...this.eventStreams.values()][0];
  await client.done;
  const statuses = client.events.filter((event) => event.event === 'status').map((event) => (event.data as { status: string }).status);
  expect(statuses).to.deep.equal(['pending', 'assigned', 'in_progress', 'completed']);
});

Then('the client sees progress {int}, {int} and {int} before the job completes', async function (this: JobWorld, first: number, second: number, third: number) {
  const client = [...this.eventStreams.values()][0];
  await client.done;
  const progress = client.events.filter((event) => event.event === 'progress').map((event) => (event.data as { progress: number }).progress);
  expect(progress).to.deep.equal([first, second, third]);
  expect(client.events.findIndex((event) => event.event === 'progress')).to.be.lessThan(client.events.length - 1);
});

Then('the last event the client sees carries the result of job {string}', async function (this: JobWorld, name: string) {
  const client = this.eventStreams.get(name)!;
  await client.done;
  const last = client.events.at(-1)!;
  expect(last.data).to.deep.include({ status: 'completed' });
  expect((last.data as { result: unknown }).result).to.deep.equal((await this.job(name)).result);
});
