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
];

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
    },
    options.destination,
  );
}
