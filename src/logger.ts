import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that pino's own redaction censors. Connectors never log credentials on purpose;
 * this catches a header or option object that reaches a log line by accident.
 */
export const REDACTED_PATHS = [
  'authorization',
  'apiKey',
  'api_key',
  'token',
  'password',
  '*.authorization',
  '*.Authorization',
  '*.apiKey',
  '*.api_key',
  '*.token',
  '*.password',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.headers["dash0-dataset"]',
  '*.*.headers.authorization',
  '*.*.headers.Authorization',
  '*.headers["x-api-key"]',
  '*.headers["proxy-authorization"]',
  '*.headers.cookie',
  '*.*.headers["x-api-key"]',
  '*.*.headers["proxy-authorization"]',
  '*.*.headers.cookie',
];

/**
 * Keys of HTTP client errors (axios) that hold the request: its headers, credentials included,
 * and the raw request text, which no path redaction can reach.
 */
const HTTP_CLIENT_ERROR_KEYS = ['config', 'request', 'response'];

/**
 * Serializes an error as pino's standard serializer does, without the request an HTTP client
 * error carries; the response status is kept as `status`.
 */
export function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error);
  if (serialized !== null && typeof serialized === 'object') dropHttpClientState(serialized, Object.getPrototypeOf(serialized) as object, 0);
  return serialized;
}

function dropHttpClientState(serialized: object, errorPrototype: object, depth: number): void {
  const record = serialized as Record<string, unknown>;
  const response = record.response as { status?: unknown } | undefined;
  if (record.status === undefined && response !== null && typeof response === 'object' && typeof response.status === 'number') {
    record.status = response.status;
  }
  for (const key of HTTP_CLIENT_ERROR_KEYS) delete record[key];

  // Only errors the serializer created are changed; other values belong to the caller.
  if (depth >= 5) return;
  for (const child of Object.values(record)) {
    if (child !== null && typeof child === 'object' && Object.getPrototypeOf(child) === errorPrototype) {
      dropHttpClientState(child, errorPrototype, depth + 1);
    }
  }
}

export interface LoggerOptions {
  name: string;
  level?: string;
  /** Destination of the log lines; standard output when unset. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
    },
    options.destination,
  );
}
