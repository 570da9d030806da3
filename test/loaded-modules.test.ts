import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { PROJECT_ROOT } from '../src/phase/phase-profile';
import { useTestRedis } from './helpers/test-redis';

const testRedis = useTestRedis();

/** Starts a worker process, stops it once its workers run, and returns the modules it loaded. */
async function modulesLoadedByWorker(env: Record<string, string>): Promise<string[]> {
  const probeFile = join(mkdtempSync(join(tmpdir(), 'conveyor-probe-')), 'modules.txt');
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', '--require', join(PROJECT_ROOT, 'test', 'fixtures', 'module-probe.js'), join(PROJECT_ROOT, 'src', 'worker', 'main.ts')],
    {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, REDIS_URL: testRedis.url(), QUEUE_PREFIX: testRedis.prefix(), MODULE_PROBE_FILE: probeFile, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );

  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('workers started')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`The worker exited with ${code} before it started:\n${output}`)));
  });

  child.kill('SIGTERM');
  assert.equal(await exited, 0, output);
  return readFileSync(probeFile, 'utf8').split('\n');
}

describe('worker modules', () => {
  it('production worker never loads nock', async () => {
    const modules = await modulesLoadedByWorker({ WORKERS: 'ollama:1', OLLAMA_HOST: '127.0.0.1:11434', NODE_ENV: 'production' });

    assert.ok(modules.some((path) => path.includes('ollama-connector')), 'the probe saw the connector load');
    assert.deepEqual(modules.filter((path) => /[\\/]node_modules[\\/]nock[\\/]/.test(path)), []);
    assert.deepEqual(modules.filter((path) => path.includes('service-mocks')), []);
  });

  it('Phase 2 worker loads the service mocks', async () => {
    const modules = await modulesLoadedByWorker({ TEST_PHASE: '2', WORKERS: 'ollama:1' });

    assert.ok(modules.some((path) => /[\\/]node_modules[\\/]nock[\\/]/.test(path)), 'nock was loaded');
    assert.ok(modules.some((path) => path.includes('staging-init')), 'staging-init was loaded');
  });
});
