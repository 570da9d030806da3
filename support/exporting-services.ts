import { randomBytes } from 'node:crypto';

import { ConveyorProcess } from './conveyor-process';
import { eventually } from './eventually';
import type { OtlpReceiver } from './otlp-receiver';

/** The Dash0 dataset the exporting services send; their token is new on every run. */
export const DASH0_TEST_DATASET = 'conveyor-acceptance';

/**
 * An API process and a worker process started with `npm run api` and `npm run worker` in
 * Phase 1, on the scenario's Redis prefix, exporting their spans to a collector.
 */
export class ExportingServices {
  readonly authToken = `test-token-${randomBytes(12).toString('hex')}`;
  api: ConveyorProcess | null = null;
  worker: ConveyorProcess | null = null;
  apiUrl = '';

  constructor(readonly collector: OtlpReceiver) {}

  async start(redisUrl: string, prefix: string, timeoutMs: number): Promise<void> {
    const env: Record<string, string> = {
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
    this.worker = new ConveyorProcess({ script: 'worker' }, env);
    this.api = new ConveyorProcess({ script: 'api' }, env);

    const [listening] = await Promise.all([waitForRecord(this.api, 'API listening: Phase 1', timeoutMs), waitForRecord(this.worker, 'workers started: Phase 1', timeoutMs)]);
    this.apiUrl = String(listening.address);
  }

  /**
   * Stops both services with SIGTERM, as a deployment would, and returns their exit codes.
   * The signal goes to the node process, whose pid its log lines carry, so that npm passes
   * its exit code on.
   */
  async stop(): Promise<{ api: number | null; worker: number | null }> {
    const [api, worker] = await Promise.all([terminate(this.api), terminate(this.worker)]);
    return { api, worker };
  }

  /** Returns every line both processes wrote. */
  lines(): string[] {
    return [this.api?.output ?? '', this.worker?.output ?? ''].flatMap((output) => output.split('\n')).filter((line) => line !== '');
  }
}

async function waitForRecord(child: ConveyorProcess, msg: string, timeoutMs: number): Promise<Record<string, unknown>> {
  return eventually(
    () => {
      const record = child.records.find((candidate) => String(candidate.msg).startsWith(msg));
      if (!record) throw new Error(`the process has not logged "${msg}" yet; its output so far:\n${child.output}`);
      return record;
    },
    { timeoutMs, intervalMs: 50 },
  );
}

/** Sends SIGTERM to the service's node process and waits for it; kills the group after 15 s. */
async function terminate(child: ConveyorProcess | null): Promise<number | null> {
  if (!child) return null;
  const pid = child.records.find((record) => typeof record.pid === 'number')?.pid as number | undefined;
  if (pid === undefined) return (await child.stop()).code;

  try {
    process.kill(pid, 'SIGTERM');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
  const timer = setTimeout(() => child.signal('SIGKILL'), 15_000);
  try {
    return (await child.exited).code;
  } finally {
    clearTimeout(timer);
  }
}
