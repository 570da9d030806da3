import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import Redis from 'ioredis';

import { PrivateRedisServer } from '../../support/redis-harness';

/**
 * Gives a test file a Redis: REDIS_URL when set, else a private server for the file.
 * Each call of `prefix()` returns a fresh key prefix; the keys are deleted after the file.
 */
export function useTestRedis(): { redis: () => Redis; url: () => string; prefix: () => string } {
  let server: PrivateRedisServer | null = null;
  let client: Redis | null = null;
  let redisUrl = '';
  const prefixes: string[] = [];

  before(async () => {
    let url = process.env.REDIS_URL;
    if (!url) {
      server = await PrivateRedisServer.start();
      url = server.url;
    }
    redisUrl = url;
    client = new Redis(url);
  });

  after(async () => {
    for (const prefix of prefixes) {
      const keys = await client!.keys(`{${prefix}}:*`);
      if (keys.length > 0) await client!.unlink(...keys);
    }
    await client?.quit();
    await server?.stop();
  });

  return {
    redis: () => client!,
    url: () => redisUrl,
    prefix: () => {
      const prefix = `unit-${randomBytes(5).toString('hex')}`;
      prefixes.push(prefix);
      return prefix;
    },
  };
}
