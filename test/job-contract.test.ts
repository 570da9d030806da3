import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ScriptErrorCode } from '../src/queue/error-codes';
import { JOB_STATUSES, MAX_PRIORITY, pendingScore, PRIORITY_SCORE_STEP } from '../src/queue/job';
import { JobQueue } from '../src/queue/job-queue';
import { readScript, SCRIPT_NAMES } from '../src/queue/scripts';
import { useTestRedis } from './helpers/test-redis';

const testRedis = useTestRedis();

describe('job contract', () => {
  it('scripts write only known statuses', () => {
    for (const name of SCRIPT_NAMES) {
      const source = readScript(name);
      const written = [...source.matchAll(/HSET[^\n]*'status', '([a-z_]+)'/g), ...source.matchAll(/status = '([a-z_]+)'/g), ...source.matchAll(/"status":"([a-z_]+)"/g)];
      for (const [, status] of written) {
        assert.ok((JOB_STATUSES as readonly string[]).includes(status), `${name}.lua writes unknown status "${status}"`);
      }
    }
  });

  it('script return codes match the enum', () => {
    for (const name of SCRIPT_NAMES) {
      const source = readScript(name);
      for (const [, code, label] of source.matchAll(/(-\d+) \(([A-Z_]+)\)/g)) {
        const enumName = label.toLowerCase().replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
        const key = enumName[0].toUpperCase() + enumName.slice(1);
        assert.equal(ScriptErrorCode[key as keyof typeof ScriptErrorCode], Number(code), `${name}.lua: ${label} is ${code}`);
      }
    }
  });

  it('scripts use the same priority ceiling', () => {
    for (const name of SCRIPT_NAMES) {
      for (const [, ceiling] of readScript(name).matchAll(/\((\d+) - tonumber/g)) {
        assert.equal(Number(ceiling), MAX_PRIORITY, `${name}.lua`);
      }
    }
  });

  it('submit scores pending jobs like pendingScore', async () => {
    const queue = new JobQueue(testRedis.redis(), { prefix: testRedis.prefix() });

    for (const priority of [0, 50, 100]) {
      const job = await queue.submit({ service: 'mock', payload: {}, priority });
      const score = await queue.redis.zscore(queue.keys.pending('mock'), job.id);
      const sequence = await queue.redis.hget(queue.keys.job(job.id), 'sequence');
      assert.equal(Number(score), pendingScore(priority, Number(sequence)));
    }
    assert.ok(pendingScore(0, PRIORITY_SCORE_STEP - 1) < Number.MAX_SAFE_INTEGER);
  });
});
