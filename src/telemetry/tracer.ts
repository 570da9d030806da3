import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

import type { Logger } from '../logger';
import type { PhaseName } from '../phase/phase-config';
import { ExportFailureLog } from './export-failure-log';
import { exporterConfig, type TelemetrySettings } from './telemetry-settings';

export interface TracerOptions {
  /** `conveyor-api` or `conveyor-worker` for the services; the suite passes its own name. */
  serviceName: string;
  /** `deployment.environment`: the phase for the services, see deploymentEnvironment(). */
  environment: string;
  settings: TelemetrySettings;
  logger: Logger;
  /** Processors added to the exporting one, such as the suite's in-memory span recorder. */
  spanProcessors?: SpanProcessor[];
  /** Time limit of one export request, in ms. */
  exportTimeoutMs?: number;
  /** How long shutdown waits for the last spans to be exported, in ms. */
  shutdownTimeoutMs?: number;
}

export interface Tracing {
  /** The OTLP URL spans are exported to, or null when nothing is exported. */
  readonly exportUrl: string | null;
  /** Exports the spans still buffered and stops the SDK, waiting at most the shutdown timeout. */
  shutdown(): Promise<void>;
}

/** Returns the `deployment.environment` of a phase: `phase1`, `phase2` or `production`. */
export function deploymentEnvironment(phase: PhaseName): string {
  return phase === 'production' ? phase : `phase${phase}`;
}

/**
 * Starts the OpenTelemetry Node SDK with HTTP instrumentation. Call it early, because HTTP
 * requests made before it starts are not traced. With no collector endpoint and no extra
 * processors it starts nothing, so no span is recorded or exported and nothing is logged.
 */
export function initTracer(options: TracerOptions): Tracing {
  const { settings, logger } = options;
  const exporter = exporterConfig(settings);
  const extraProcessors = options.spanProcessors ?? [];
  if (exporter === null && extraProcessors.length === 0) {
    logger.debug('trace export disabled: OTEL_COLLECTOR_ENDPOINT is not set');
    return { exportUrl: null, shutdown: async () => {} };
  }

  const processors = [...extraProcessors];
  if (exporter !== null) {
    const otlp = new OTLPTraceExporter({ url: exporter.url, headers: exporter.headers, timeoutMillis: options.exportTimeoutMs ?? 10_000 });
    processors.push(new BatchSpanProcessor(new ExportFailureLog(otlp, logger), { scheduledDelayMillis: settings.exportDelayMs }));
  }

  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: settings.serviceVersion,
      // Semantic conventions 1.27 renamed this to deployment.environment.name; both are set
      // because backends still read either.
      'deployment.environment': options.environment,
      'deployment.environment.name': options.environment,
    }),
    spanProcessors: processors,
    // Explicitly empty, so that OTEL_* variables cannot start metric or log exporters.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => request.url === '/health' })],
  });
  sdk.start();
  patchLoadedHttpModules();
  if (exporter !== null) logger.debug({ url: exporter.url, dataset: settings.dataset !== null, authorization: settings.authToken !== null }, 'trace export enabled');

  let stopped: Promise<void> | null = null;
  return {
    exportUrl: exporter?.url ?? null,
    shutdown: () => (stopped ??= shutdownWithin(sdk, options.shutdownTimeoutMs ?? 5_000, logger)),
  };
}

/**
 * Requires `http` and `https` once more. The HTTP instrumentation patches a module the next
 * time it is required, changing the shared exports object in place, so this also covers
 * modules such as axios that loaded `http` before tracing started.
 */
function patchLoadedHttpModules(): void {
  require('http');
  require('https');
}

async function shutdownWithin(sdk: NodeSDK, timeoutMs: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    const outcome = await Promise.race([sdk.shutdown().then(() => 'done' as const), timeout]);
    if (outcome === 'timeout') logger.warn({ timeoutMs }, 'trace export did not finish before shutdown; the remaining spans are dropped');
  } catch (error) {
    // The final export is what fails here, and ExportFailureLog has already warned about it.
    logger.debug({ reason: (error as Error).message }, 'tracing shutdown failed; the remaining spans are dropped');
  } finally {
    clearTimeout(timer);
  }
}
