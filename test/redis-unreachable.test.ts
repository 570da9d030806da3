import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import axios from 'axios';

/**
 * Starts the API and a worker process against a Redis URL where nothing listens. Each test has
 * a time limit, so a request that waits on Redis for as long as ioredis's default retries
 * fails the test instead of stalling the run.
 */

const ROOT = join(__dirname, '..');
const LIMIT_MS = 30_000;

/** Returns a loopback port that nothing listens on, by binding one and closing it again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function startProcess(entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', entry], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, exited, output: () => output };
}

describe('unreachable Redis', () => {
  it('API answers 503 at once', { timeout: LIMIT_MS }, async () => {
    const redisUrl = `redis://127.0.0.1:${await closedPort()}`;
    const api = startProcess('src/api/main.ts', { TEST_PHASE: '1', REDIS_URL: redisUrl, API_HOST: '127.0.0.1', API_PORT: '0', LOG_LEVEL: 'info' });
    try {
      let address = '';
      while (!address) {
        address = /"address":"(http:\/\/[^"]+)"/.exec(api.output())?.[1] ?? '';
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      const submitted = await axios.post(`${address}/api/jobs`, { service_required: 'mock', payload: {} }, { validateStatus: () => true });
      assert.equal(submitted.status, 503);
      assert.equal(submitted.data.error, 'redis_unavailable');

      const read = await axios.get(`${address}/api/jobs/00000000-0000-4000-8000-000000000000`, { validateStatus: () => true });
      assert.equal(read.status, 503);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
  });

  it('worker stops naming REDIS_URL', { timeout: LIMIT_MS }, async () => {
    const port = await closedPort();
    const worker = startProcess('src/worker/main.ts', { TEST_PHASE: '1', WORKERS: 'mock:1', REDIS_URL: `redis://:hunter2hunter2@127.0.0.1:${port}`, LOG_LEVEL: 'info' });

    const code = await worker.exited;

    assert.equal(code, 1);
    assert.match(worker.output(), new RegExp(`Start-up failed: Redis at redis://:\\*+@127\\.0\\.0\\.1:${port} did not respond within \\d+ s .*: check REDIS_URL and that Redis is running\\.`));
    assert.doesNotMatch(worker.output(), /hunter2hunter2/);
  });
});
