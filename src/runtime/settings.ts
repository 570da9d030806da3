import { readMilliseconds } from '../connectors/connector-settings';

/** Process settings shared by the API and worker entry points. */
export interface RuntimeSettings {
  redisUrl: string;
  queuePrefix: string;
  apiHost: string;
  apiPort: number;
  apiAuthToken: string | null;
  logLevel: string;
  leaseMs: number;
  retryBackoffMs: number;
  shutdownGraceMs: number;
  heartbeatMs: number;
  leaseReapIntervalMs: number;
}

export function readRuntimeSettings(env: NodeJS.ProcessEnv): RuntimeSettings {
  const port = Number(env.API_PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid API_PORT="${env.API_PORT}": use a port number from 0 to 65535.`);
  }

  const leaseMs = readMilliseconds(env, 'JOB_LEASE_MS', 30_000);
  const heartbeatMs = readMilliseconds(env, 'WORKER_HEARTBEAT_MS', 5_000);
  if (heartbeatMs >= leaseMs) {
    throw new Error(`WORKER_HEARTBEAT_MS=${heartbeatMs} is not shorter than JOB_LEASE_MS=${leaseMs}: a worker would lose every lease before renewing it. Set WORKER_HEARTBEAT_MS well below the lease, such as a third of it.`);
  }

  return {
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    queuePrefix: env.QUEUE_PREFIX || 'conveyor',
    apiHost: env.API_HOST || '127.0.0.1',
    apiPort: port,
    apiAuthToken: env.API_AUTH_TOKEN || null,
    logLevel: env.LOG_LEVEL || 'info',
    leaseMs,
    retryBackoffMs: readMilliseconds(env, 'RETRY_BACKOFF_MS', 1_000),
    shutdownGraceMs: readMilliseconds(env, 'WORKER_SHUTDOWN_GRACE_MS', 10_000),
    heartbeatMs,
    leaseReapIntervalMs: readMilliseconds(env, 'LEASE_REAP_INTERVAL_MS', 5_000),
  };
}

/** Describes a Redis URL for logs, without its password. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid REDIS_URL)';
  }
}
