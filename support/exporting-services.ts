import { randomBytes } from 'node:crypto';

import type { OtlpReceiver } from './otlp-receiver';
import { ServiceProcess } from './service-process';

/** The Dash0 credentials the exporting services send; the token is new on every run. */
export const DASH0_TEST_DATASET = 'conveyor-acceptance';

/**
 * An API process and a worker process started with `npm run api` and `npm run worker` in
 * Phase 1, on the scenario's Redis prefix, exporting their spans to a collector.
 */
export class ExportingServices {
  readonly authToken = `test-token-${randomBytes(12).toString('hex')}`;
  api: ServiceProcess | null = null;
  worker: ServiceProcess | null = null;
  apiUrl = '';

  constructor(readonly collector: OtlpReceiver) {}

  async start(redisUrl: string, prefix: string, timeoutMs: number): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEST_PHASE: '1',
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      WORKERS: 'mock:1',
      API_PORT: '0',
      LOG_LEVEL: 'debug',
      OTEL_COLLECTOR_ENDPOINT: this.collector.url,
      DASH0_AUTH_TOKEN: this.authToken,
      DASH0_DATASET: DASH0_TEST_DATASET,
      // Spans can then only arrive through the export on shutdown.
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    };
    this.worker = ServiceProcess.start('worker', env);
    this.api = ServiceProcess.start('api', env);

    const [listening] = await Promise.all([this.api.waitForRecord('API listening: Phase 1', timeoutMs), this.worker.waitForRecord('workers started: Phase 1', timeoutMs)]);
    this.apiUrl = String(listening.address);
  }

  /** Stops both processes with SIGTERM, as a deployment would, and returns their exit codes. */
  async stop(): Promise<{ api: number | null; worker: number | null }> {
    const [api, worker] = await Promise.all([this.api?.stop() ?? null, this.worker?.stop() ?? null]);
    return { api, worker };
  }

  /** Returns every line both processes wrote. */
  lines(): string[] {
    return [...(this.api?.lines ?? []), ...(this.worker?.lines ?? [])];
  }
}
