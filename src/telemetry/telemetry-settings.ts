import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { readMilliseconds } from '../connectors/connector-settings';
import { PROJECT_ROOT } from '../phase/phase-profile';
import type { TraceMode } from './job-tracing';

/** Telemetry settings from the environment. */
export interface TelemetrySettings {
  /** Base URL of the OpenTelemetry collector; null disables export. */
  collectorEndpoint: string | null;
  /** Sent as `Authorization: Bearer <token>` with every export when set. */
  authToken: string | null;
  /** Sent as `Dash0-Dataset` with every export when set. */
  dataset: string | null;
  serviceVersion: string;
  traceMode: TraceMode;
  /** Maximum time a finished span waits before it is exported, in ms (OTEL_BSP_SCHEDULE_DELAY). */
  exportDelayMs: number;
}

/** The URL and headers of the OTLP/HTTP trace export. */
export interface ExporterConfig {
  url: string;
  headers: Record<string, string>;
}

const TRACES_PATH = '/v1/traces';
const TRACE_MODES: readonly TraceMode[] = ['continue', 'link'];

/**
 * Reads OTEL_COLLECTOR_ENDPOINT, DASH0_AUTH_TOKEN, DASH0_DATASET, OTEL_SERVICE_VERSION,
 * JOB_TRACE_MODE and OTEL_BSP_SCHEDULE_DELAY. Throws on an endpoint that is not an http(s)
 * URL, an unknown trace mode or a delay that is not a whole number of milliseconds.
 */
export function readTelemetrySettings(env: NodeJS.ProcessEnv): TelemetrySettings {
  const endpoint = env.OTEL_COLLECTOR_ENDPOINT?.trim() || null;
  if (endpoint !== null && !isHttpUrl(endpoint)) {
    throw new Error(`Invalid OTEL_COLLECTOR_ENDPOINT="${endpoint}": use the collector's http:// or https:// base URL, such as http://127.0.0.1:4318, or leave it empty to export no traces.`);
  }

  const traceMode = (env.JOB_TRACE_MODE?.trim() || 'continue') as TraceMode;
  if (!TRACE_MODES.includes(traceMode)) {
    throw new Error(`Invalid JOB_TRACE_MODE="${env.JOB_TRACE_MODE}": use "continue" (a worker continues the submission's trace) or "link" (a worker starts its own trace linked to the submission).`);
  }

  return {
    collectorEndpoint: endpoint,
    authToken: env.DASH0_AUTH_TOKEN?.trim() || null,
    dataset: env.DASH0_DATASET?.trim() || null,
    serviceVersion: env.OTEL_SERVICE_VERSION?.trim() || packageVersion(),
    traceMode,
    exportDelayMs: readMilliseconds(env, 'OTEL_BSP_SCHEDULE_DELAY', 5_000),
  };
}

/**
 * Builds the exporter's URL and headers, or returns null when no collector endpoint is set.
 * An endpoint that already ends in /v1/traces is used as it is.
 */
export function exporterConfig(settings: TelemetrySettings): ExporterConfig | null {
  if (settings.collectorEndpoint === null) return null;

  const base = settings.collectorEndpoint.replace(/\/+$/, '');
  const url = base.endsWith(TRACES_PATH) ? base : `${base}${TRACES_PATH}`;
  const headers: Record<string, string> = {};
  if (settings.authToken) headers.Authorization = `Bearer ${settings.authToken}`;
  if (settings.dataset) headers['Dash0-Dataset'] = settings.dataset;
  return { url, headers };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function packageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string };
    return manifest.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
