import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';

import { exposureSources, secretExposures } from '../support/secret-exposure';
import type { JobWorld } from '../worlds/job-world';

Given('the OpenAI workers log at debug level', async function (this: JobWorld) {
  this.logs.logger.level = 'debug';
  await this.stopAllWorkers();
  await this.startWorkers([{ type: 'openai', count: 1 }]);
});

Then('the OpenAI service received the API key with every request', function (this: JobWorld) {
  const services = this.requireServices();
  expect(services.openai.calls.length, 'requests the OpenAI fixtures answered').to.be.greaterThan(0);
  expect(services.unmatched(), 'requests without the key match no fixture').to.deep.equal([]);
});

When('the client reads job {string}, the workers and the test phase', async function (this: JobWorld, name: string) {
  await this.job(name);
  await this.request('get', '/api/workers');
  await this.request('get', '/test/phase');
});

Then('the API key appears in no log line, job record, API response or span attribute', async function (this: JobWorld) {
  const apiKey = this.environment!.connectorSettings.openai.apiKey!;
  const sources = await exposureSources(this);
  expect(sources['log line'], 'log lines read').to.be.greaterThan(0);
  expect(sources['job record'], 'job records read').to.be.greaterThan(0);
  expect(sources['API response'], 'API responses read').to.be.greaterThan(0);
  expect(sources['span attribute'], 'spans read').to.be.greaterThan(0);
  expect(await secretExposures(this, apiKey)).to.deep.equal([]);
});

When('openai workers start without an API key', async function (this: JobWorld) {
  const settings = this.environment!.connectorSettings;
  try {
    await this.startWorkers([{ type: 'openai', count: 1 }], undefined, {}, { openai: { ...settings.openai, apiKey: null } });
    this.startupError = null;
  } catch (error) {
    this.startupError = error as Error;
  }
});

Then('start-up fails with the error {string}', function (this: JobWorld, message: string) {
  expect(this.startupError?.message).to.equal(message);
});
