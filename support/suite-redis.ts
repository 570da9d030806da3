import { AfterAll, BeforeAll } from '@cucumber/cucumber';
import Redis from 'ioredis';

import { PrivateRedisServer, waitUntilReady } from './redis-harness';

/** The Redis every scenario of this run uses: REDIS_URL when set, else a private server. */
export const suiteRedis: { url: string; client: Redis | null; server: PrivateRedisServer | null } = {
  url: '',
  client: null,
  server: null,
};

BeforeAll({ timeout: 15_000 }, async function () {
  if (process.env.REDIS_URL) {
    suiteRedis.url = process.env.REDIS_URL;
    if (process.env.CONVEYOR_SHARED_REDIS) await waitUntilReady(suiteRedis.url);
  } else {
    suiteRedis.server = await PrivateRedisServer.start();
    suiteRedis.url = suiteRedis.server.url;
  }
  suiteRedis.client = new Redis(suiteRedis.url, { connectionName: 'conveyor-suite' });
  await suiteRedis.client.ping();
});

AfterAll({ timeout: 15_000 }, async function () {
  await suiteRedis.client?.quit();
  suiteRedis.client = null;
  await suiteRedis.server?.stop();
  suiteRedis.server = null;
});

export function sharedRedis(): Redis {
  if (!suiteRedis.client) throw new Error('The suite Redis is not started: support/suite-redis.ts BeforeAll did not run.');
  return suiteRedis.client;
}
