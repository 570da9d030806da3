import { createLogger } from '../logger';
import { describePhase, resolvePhase } from '../phase/phase-config';
import { loadPhaseProfile } from '../phase/phase-profile';
import { JobQueue } from '../queue/job-queue';
import { connectRedis } from '../runtime/redis-client';
import { readRuntimeSettings, redactRedisUrl } from '../runtime/settings';
import { exitOnStartupError, stopOnSignals } from '../runtime/signals';
import { readTelemetrySettings } from '../telemetry/telemetry-settings';
import { deploymentEnvironment, initTracer } from '../telemetry/tracer';
import { buildApi } from './server';

/** Starts the HTTP API on API_PORT, after the phase configuration has been checked. */
async function main(): Promise<void> {
  const env = loadPhaseProfile(process.env);
  const phase = resolvePhase(env, { requireWorkers: false });
  const settings = readRuntimeSettings(env);
  if (phase.phase === 'production' && !settings.apiAuthToken) {
    throw new Error('API_AUTH_TOKEN is not set: production requires a bearer token for the API. Set API_AUTH_TOKEN, or set TEST_PHASE=1 to run a test phase.');
  }
  const telemetry = readTelemetrySettings(env);
  const logger = createLogger({ name: 'conveyor-api', level: settings.logLevel });
  const tracing = initTracer({ serviceName: 'conveyor-api', environment: deploymentEnvironment(phase.phase), settings: telemetry, logger });

  // A request fails after one reconnection attempt, so a client gets 503 at once while Redis
  // is down instead of waiting through ioredis's default of 20 attempts.
  const redis = connectRedis(settings.redisUrl, 'conveyor-api', logger, { maxRetriesPerRequest: 1 });
  const queue = new JobQueue(redis, { prefix: settings.queuePrefix });
  const app = buildApi({ queue, phase, logger, authToken: settings.apiAuthToken ?? undefined, leaseReapIntervalMs: settings.leaseReapIntervalMs });

  const address = await app.listen({ host: settings.apiHost, port: settings.apiPort }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    throw new Error(`API_PORT=${settings.apiPort} is already in use on ${settings.apiHost}: stop the process that uses it, or set API_PORT to a free port.`);
  });
  logger.info({ address, redis: redactRedisUrl(settings.redisUrl), prefix: settings.queuePrefix }, `API listening: ${describePhase(phase)}`);

  stopOnSignals(logger, async () => {
    try {
      await app.close();
      await redis.quit();
    } finally {
      await tracing.shutdown();
    }
  });
}

main().catch(exitOnStartupError);
