import Redis, { type RedisOptions } from 'ioredis';

import type { Logger } from '../logger';
import { redactRedisUrl } from './settings';

/**
 * Opens a Redis connection that logs its outages: the first error of an outage as a warning,
 * and the reconnection. ioredis keeps reconnecting by itself and queues commands until then;
 * `options` can shorten how long a command waits (`maxRetriesPerRequest`).
 */
export function connectRedis(url: string, connectionName: string, logger: Logger, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, { connectionName, ...options });
  logRedisOutages(redis, logger.child({ connection: connectionName, redis: redactRedisUrl(url) }));
  return redis;
}

/** Logs the first error of each outage of a connection and its recovery, but not every retry. */
export function logRedisOutages(redis: Redis, logger: Logger): void {
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error }, 'Redis connection lost; reconnecting');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('Redis connection restored');
  });
}

/**
 * Waits until a new connection is ready. Throws after `timeoutMs` with the URL, its password
 * hidden, and the last connection error, so a process that cannot reach Redis reports it at once.
 */
export async function waitForRedis(redis: Redis, url: string, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  let lastError: Error | null = null;
  const noteError = (error: Error) => (lastError = error);
  redis.on('error', noteError);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        redis.off('ready', onReady);
        const cause = lastError ? lastError.message : 'no reply';
        reject(new Error(`Redis at ${redactRedisUrl(url)} did not respond within ${timeoutMs / 1000} s (${cause}): check REDIS_URL and that Redis is running.`));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      redis.once('ready', onReady);
    });
  } finally {
    redis.off('error', noteError);
  }
}
