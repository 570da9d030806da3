import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Redis from 'ioredis';

import { isAuthorized } from '../src/api/auth';
import { buildApi } from '../src/api/server';
import { createLogger } from '../src/logger';
import { resolvePhase } from '../src/phase/phase-config';
import { JobQueue } from '../src/queue/job-queue';

const TOKEN = 'token-5f2c9a7e1b';

describe('isAuthorized', () => {
  it('accepts the expected bearer token', () => {
    assert.equal(isAuthorized(`Bearer ${TOKEN}`, TOKEN), true);
  });

  it('accepts the scheme in any case', () => {
    assert.equal(isAuthorized(`bearer ${TOKEN}`, TOKEN), true);
    assert.equal(isAuthorized(`BEARER ${TOKEN}`, TOKEN), true);
  });

  it('rejects a wrong token of the same length', () => {
    assert.equal(isAuthorized(`Bearer ${TOKEN.slice(0, -1)}x`, TOKEN), false);
  });

  it('rejects a prefix or extension of the token', () => {
    assert.equal(isAuthorized(`Bearer ${TOKEN.slice(0, 4)}`, TOKEN), false);
    assert.equal(isAuthorized(`Bearer ${TOKEN}x`, TOKEN), false);
  });

  it('rejects a missing header, an empty token and other schemes', () => {
    assert.equal(isAuthorized(undefined, TOKEN), false);
    assert.equal(isAuthorized('', TOKEN), false);
    assert.equal(isAuthorized('Bearer ', TOKEN), false);
    assert.equal(isAuthorized(TOKEN, TOKEN), false);
    assert.equal(isAuthorized(`Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}`, TOKEN), false);
  });
});

describe('API with a bearer token', () => {
  const redis = new Redis({ lazyConnect: true });
  const queue = new JobQueue(redis, { prefix: 'auth-test' });
  const phase = resolvePhase({ TEST_PHASE: '1', NODE_ENV: 'test', WORKERS: 'mock:1', WORKER_MODE: 'mock', MOCK_MODE: 'false' }, { requireWorkers: false });
  const app = buildApi({ queue, phase, logger: createLogger({ name: 'auth-test', level: 'silent' }), authToken: TOKEN });
  const unknownJob = '/api/jobs/00000000-0000-4000-8000-000000000000';

  after(async () => {
    await app.close();
    redis.disconnect();
  });

  it('rejects an /api request without the token', async () => {
    const response = await app.inject({ method: 'GET', url: unknownJob });

    assert.equal(response.statusCode, 401);
    assert.match(response.json().message, /Missing or invalid bearer token/);
  });

  it('does not echo a wrong token or the expected one', async () => {
    const response = await app.inject({ method: 'GET', url: unknownJob, headers: { authorization: 'Bearer guessed-token' } });

    assert.equal(response.statusCode, 401);
    assert.doesNotMatch(response.body, /guessed-token/);
    assert.doesNotMatch(response.body, new RegExp(TOKEN));
  });

  it('rejects a submission without the token before reading its body', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/jobs', payload: { service_required: 'mock', payload: {} } });

    assert.equal(response.statusCode, 401);
  });

  it('lets a request with the token through', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/jobs/not-a-job-id', headers: { authorization: `Bearer ${TOKEN}` } });

    assert.equal(response.statusCode, 404);
  });

  it('keeps the phase report free of the token', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/phase' });

    assert.equal(response.statusCode, 200);
    assert.doesNotMatch(response.body, new RegExp(TOKEN));
  });
});
