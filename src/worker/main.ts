import { ConnectorManager } from '../connectors/connector-manager';
import { readConnectorSettings } from '../connectors/connector-settings';
import { createLogger } from '../logger';
import { describePhase, resolvePhase } from '../phase/phase-config';
import { loadPhaseProfile } from '../phase/phase-profile';
import { JobQueue } from '../queue/job-queue';
import { connectRedis, waitForRedis } from '../runtime/redis-client';
import { readRuntimeSettings, redactRedisUrl } from '../runtime/settings';
import { exitOnStartupError, stopOnSignals } from '../runtime/signals';
import { readTelemetrySettings } from '../telemetry/telemetry-settings';
import { deploymentEnvironment, initTracer } from '../telemetry/tracer';
import { WorkerPool } from './worker-pool';

/** How long a starting worker waits for Redis before it stops with a message naming REDIS_URL, in ms. */
const REDIS_STARTUP_WAIT_MS = 10_000;

/** Starts the workers listed in WORKERS, after the phase configuration has been checked. */
async function main(): Promise<void> {
  const env = loadPhaseProfile(process.env);
  const phase = resolvePhase(env, { requireWorkers: true });
  const settings = readRuntimeSettings(env);
  const connectorSettings = readConnectorSettings(env);
  const telemetry = readTelemetrySettings(env);
  const logger = createLogger({ name: 'conveyor-worker', level: settings.logLevel });
  const tracing = initTracer({ serviceName: 'conveyor-worker', environment: deploymentEnvironment(phase.phase), settings: telemetry, logger });

  // In Phase 2 the service mocks reply to every AI service call. They are loaded here, before
  // any connector exists, and only in Phase 2, so that production never loads nock.
  if (phase.phase === '2' && phase.mockMode) {
    // A lazy require keeps the module (and nock) out of every other phase's process.
    const { installStagingMocks } = require('../service-mocks/staging-init') as typeof import('../service-mocks/staging-init');
    installStagingMocks(env, logger);
    logger.info('service mocks installed: fixtures reply to AI service calls and the real network is denied');
  }

  const redis = connectRedis(settings.redisUrl, 'conveyor-worker', logger);
  await waitForRedis(redis, settings.redisUrl, REDIS_STARTUP_WAIT_MS);
  const queue = new JobQueue(redis, { prefix: settings.queuePrefix, leaseMs: settings.leaseMs, retryBackoffMs: settings.retryBackoffMs });
  const pool = new WorkerPool({
    queue,
    groups: phase.workers,
    connectors: new ConnectorManager(),
    settings: connectorSettings,
    testPhase: phase.phase,
    logger,
    worker: { shutdownGraceMs: settings.shutdownGraceMs, heartbeatMs: settings.heartbeatMs, traceMode: telemetry.traceMode },
    leaseReapIntervalMs: settings.leaseReapIntervalMs,
  });

  // Handlers go in before the workers start, so a signal during start-up also stops them cleanly.
  stopOnSignals(logger, async () => {
    try {
      await pool.stop();
      await redis.quit();
    } finally {
      await tracing.shutdown();
    }
  });

  await pool.start();
  logger.info({ phase: phase.phase, mockMode: phase.mockMode, redis: redactRedisUrl(settings.redisUrl), prefix: settings.queuePrefix }, `workers started: ${describePhase(phase)}`);
}

main().catch(exitOnStartupError);
