import Redis from 'ioredis';

import type { Logger } from '../logger';
import { redactRedisUrl } from './settings';

/**
 * Opens a Redis connection that logs its outages: the first error of an outage as a warning,
 * and the reconnection. ioredis keeps reconnecting by itself and queues commands until then.
 */
export function connectRedis(url: string, connectionName: string, logger: Logger): Redis {
  const redis = new Redis(url, { connectionName });
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
