import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';

import type { JobWorld } from '../worlds/job-world';

When('a client asks which phase the system runs', async function (this: JobWorld) {
  await this.request('get', '/test/phase');
});

Then('the phase report says phase {string}, workers {string}, mock mode {word} and node environment {string}', function (this: JobWorld, phase: string, workers: string, mockMode: string, nodeEnv: string) {
  expect(this.lastResponse?.status).to.equal(200);
  expect(this.lastResponse?.body).to.deep.include({ phase, workers, mock_mode: mockMode === 'on', node_env: nodeEnv });
});
