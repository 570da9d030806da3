import { abortableDelay, waitForAbort } from './abortable-delay';
import type { Connector, ConnectorJob, JobContext } from './connector';
import { ConnectorError } from './connector-error';

export const MOCK_SERVICE = 'mock';
export const DEFAULT_MOCK_DELAY_MS = 2000;
const MAX_DELAY_MS = 10 * 60 * 1000;

/**
 * The behaviour a mock job's payload scripts. Every field is optional.
 * - `delay_ms`: how long the job runs (default: the connector's delay, from MOCK_CONNECTOR_DELAY)
 * - `progress_steps`: how many evenly spaced progress reports to make while it runs
 * - `result`: the job's result (default: `{ connector: "mock", payload }`)
 * - `fail`: `"retryable"` or `"permanent"`, with `error_message` and, to fail only the first
 *   attempts, `fail_attempts`
 * - `hang`: `true` to run until the job is cancelled
 */
interface MockScript {
  delayMs: number;
  progressSteps: number;
  result: unknown;
  fail: 'retryable' | 'permanent' | null;
  failAttempts: number;
  errorMessage: string;
  hang: boolean;
}

/** Offers the service `mock` and runs each job as its payload scripts, with no network. */
export class MockConnector implements Connector {
  readonly type = 'mock';

  /** `services` lets a test offer other service names, to check routing without a real connector. */
  constructor(
    private readonly defaultDelayMs = DEFAULT_MOCK_DELAY_MS,
    readonly services: readonly string[] = [MOCK_SERVICE],
  ) {}

  async process(job: ConnectorJob, context: JobContext): Promise<unknown> {
    const script = readScript(job.payload, this.defaultDelayMs);

    if (script.hang) {
      await context.reportProgress(0, 'waiting until cancelled');
      await waitForAbort(context.signal);
    }

    const steps = script.progressSteps;
    const stepDelay = steps > 0 ? script.delayMs / (steps + 1) : script.delayMs;
    for (let step = 1; step <= steps; step++) {
      await abortableDelay(stepDelay, context.signal);
      await context.reportProgress(Math.round((step * 100) / (steps + 1)), `step ${step} of ${steps}`);
    }
    await abortableDelay(stepDelay, context.signal);

    if (script.fail && job.attempt <= script.failAttempts) {
      throw new ConnectorError(script.errorMessage, {
        service: MOCK_SERVICE,
        kind: script.fail === 'retryable' ? 'mock_retryable' : 'mock_permanent',
        retryable: script.fail === 'retryable',
      });
    }
    return script.result;
  }
}

function readScript(payload: Record<string, unknown>, defaultDelayMs: number): MockScript {
  const fail = payload.fail ?? null;
  if (fail !== null && fail !== 'retryable' && fail !== 'permanent') {
    throw invalidPayload(`"fail" must be "retryable" or "permanent", got ${JSON.stringify(fail)}`);
  }

  return {
    delayMs: readInteger(payload, 'delay_ms', defaultDelayMs, MAX_DELAY_MS),
    progressSteps: readInteger(payload, 'progress_steps', 0, 100),
    result: 'result' in payload ? payload.result : { connector: 'mock', payload },
    fail,
    failAttempts: readInteger(payload, 'fail_attempts', Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    errorMessage: typeof payload.error_message === 'string' ? payload.error_message : `mock ${fail} failure`,
    hang: payload.hang === true,
  };
}

function readInteger(payload: Record<string, unknown>, field: string, fallback: number, max: number): number {
  const value = payload[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw invalidPayload(`"${field}" must be an integer from 0 to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function invalidPayload(reason: string): ConnectorError {
  return new ConnectorError(`Invalid mock payload: ${reason}.`, {
    service: MOCK_SERVICE,
    kind: 'invalid_payload',
    retryable: false,
  });
}
