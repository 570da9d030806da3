import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const PRODUCTION = { NODE_ENV: 'production', WORKERS: 'comfyui:5', WORKER_MODE: 'real', MOCK_MODE: 'false', REDIS_URL: 'redis://127.0.0.1:1', API_PORT: '0' };

/** Runs the API entry point as `npm run api` would, with only the given environment. */
function startApi(env: Record<string, string>): { status: number | null; stderr: string; stdout: string } {
  const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', 'src/api/main.ts'], {
    cwd: join(__dirname, '..'),
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('API start-up in production', () => {
  it('refuses to start without API_AUTH_TOKEN', () => {
    const result = startApi(PRODUCTION);

    assert.equal(result.status, 1);
    assert.match(result.stderr, /API_AUTH_TOKEN is not set: production requires a bearer token/);
    assert.doesNotMatch(result.stdout, /API listening/);
  });

  it('names the problem without printing the token when the configuration is wrong', () => {
    const result = startApi({ ...PRODUCTION, API_AUTH_TOKEN: 'secret-token-31', MOCK_MODE: 'true' });

    assert.equal(result.status, 1);
    assert.match(result.stderr, /MOCK_MODE=true/);
    assert.doesNotMatch(result.stderr + result.stdout, /secret-token-31/);
  });
});
