import { isAxiosError } from 'axios';

import { ConnectorError } from './connector-error';
import { asRecord } from './json-values';

/** The request a failure belongs to, as job errors and log lines name it. */
export interface RequestTarget {
  service: string;
  method: string;
  /** Origin and path only: a query string never reaches an error message. */
  url: string;
}

/** A failure that happened because the connector's own timer ran out. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
  }
}

/** Node.js error codes of a connection that failed or broke; a later attempt may get through. */
const NETWORK_ERROR_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ECONNABORTED: 'connection aborted',
  ERR_SOCKET_CONNECTION_TIMEOUT: 'connection timed out',
};

const MAX_SERVICE_MESSAGE_LENGTH = 300;

/** Describes a request for a message: `POST https://api.openai.com/v1/chat/completions`. */
export function describeRequest(target: RequestTarget): string {
  return `${target.method} ${target.url}`;
}

/**
 * Classifies an HTTP response status. Timeouts (408), rate limits (429) and server errors
 * (5xx) are retryable, and a 429 or 503 carries the service's Retry-After as retryAfterMs.
 * Every other status is permanent: 400 (such as a content-policy refusal), 401, 403, 404 (such
 * as a model that is not installed) and the remaining 4xx would fail the same way again.
 */
export function errorForStatus(
  target: RequestTarget,
  status: number,
  headers: Record<string, unknown>,
  body: string,
  secrets: readonly string[],
): ConnectorError {
  const detail = redactSecrets(serviceMessage(body), secrets);
  const message = `${target.service} ${describeRequest(target)} returned ${status}${detail ? `: ${detail}` : ''}`;
  const { kind, retryable } = classifyStatus(status);
  const retryAfterMs = retryable ? parseRetryAfter(headers) : undefined;
  return new ConnectorError(message, { service: target.service, kind, retryable, status, retryAfterMs });
}

export function classifyStatus(status: number): { kind: string; retryable: boolean } {
  if (status === 408) return { kind: 'timeout', retryable: true };
  if (status === 429) return { kind: 'rate_limited', retryable: true };
  if (status >= 500) return { kind: 'server_error', retryable: true };
  if (status === 400) return { kind: 'bad_request', retryable: false };
  if (status === 401) return { kind: 'unauthorized', retryable: false };
  if (status === 403) return { kind: 'forbidden', retryable: false };
  if (status === 404) return { kind: 'not_found', retryable: false };
  return { kind: 'client_error', retryable: false };
}

/**
 * Reads how long the service requests the client to wait, in ms: OpenAI's `retry-after-ms` when
 * present, else the standard `Retry-After` as seconds or as an HTTP date. Returns undefined
 * when neither header is usable.
 */
export function parseRetryAfter(headers: Record<string, unknown>, now = Date.now()): number | undefined {
  const milliseconds = Number(headerValue(headers, 'retry-after-ms'));
  if (headerValue(headers, 'retry-after-ms') !== undefined && Number.isFinite(milliseconds) && milliseconds >= 0) {
    return Math.round(milliseconds);
  }

  const value = headerValue(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);

  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Classifies a failure that left no usable response. A cancelled job returns the signal's
 * reason, so the worker recognises the cancellation. The connector's own timer running out is a
 * retryable timeout, and a failed or broken connection is a retryable network error.
 */
export function errorForFailure(
  target: RequestTarget,
  error: unknown,
  signals: { job: AbortSignal; timeout: AbortSignal },
  secrets: readonly string[],
): unknown {
  if (signals.job.aborted) return signals.job.reason;
  if (error instanceof ConnectorError) return error;

  if (signals.timeout.aborted && signals.timeout.reason instanceof RequestTimeoutError) {
    return new ConnectorError(`${target.service} ${describeRequest(target)} timed out: ${signals.timeout.reason.message}`, {
      service: target.service,
      kind: 'timeout',
      retryable: true,
      cause: error,
    });
  }

  const code = errorCode(error);
  const reason = code && NETWORK_ERROR_CODES[code] ? `${NETWORK_ERROR_CODES[code]} (${code})` : redactSecrets(describeError(error), secrets);
  return new ConnectorError(`${target.service} ${describeRequest(target)} failed: ${reason}`, {
    service: target.service,
    kind: 'network',
    retryable: true,
    cause: error,
  });
}

/** Builds the permanent failure for a response whose body is not what the API documents. */
export function malformedResponse(target: RequestTarget, status: number, problem: string): ConnectorError {
  return new ConnectorError(`${target.service} ${describeRequest(target)} returned a malformed response: ${problem}`, {
    service: target.service,
    kind: 'malformed_response',
    retryable: false,
    status,
  });
}

/** Builds the retryable failure for a stream cut short, because a broken connection may not recur. */
export function incompleteStream(target: RequestTarget, problem: string): ConnectorError {
  return new ConnectorError(`${target.service} ${describeRequest(target)} failed: ${problem}`, {
    service: target.service,
    kind: 'network',
    retryable: true,
    status: 200,
  });
}

/**
 * Replaces every secret in a text, and anything shaped like an OpenAI key, with `[redacted]`.
 * Services echo credentials in error bodies (OpenAI repeats part of a wrong key, and a nock
 * no-match reply lists the request headers), and those bodies end up in job errors.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret.length >= 4) redacted = redacted.split(secret).join('[redacted]');
  }
  return redacted.replace(/\bsk-[A-Za-z0-9*_-]{3,}/g, '[redacted]').replace(/\b(Bearer)\s+[^\s"'\\,]+/gi, '$1 [redacted]');
}

/** Pulls the human-readable message out of an error body in the formats the services use. */
function serviceMessage(body: string): string {
  const text = body.trim();
  if (text === '') return '';

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return truncate(text);
  }

  const record = asRecord(parsed);
  const error = record?.error;
  if (typeof error === 'string') return truncate(error);
  const nested = asRecord(error);
  if (nested && typeof nested.message === 'string') {
    let label = '';
    if (typeof nested.code === 'string') label = ` (${nested.code})`;
    else if (typeof nested.type === 'string') label = ` (${nested.type})`;
    return truncate(`${nested.message}${label}`);
  }
  if (record && typeof record.message === 'string') return truncate(record.message);
  return truncate(text);
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_SERVICE_MESSAGE_LENGTH ? `${oneLine.slice(0, MAX_SERVICE_MESSAGE_LENGTH)}…` : oneLine;
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
  return value === undefined || value === null ? undefined : String(value);
}

function errorCode(error: unknown): string | undefined {
  const ownCode = (error as { code?: unknown } | null)?.code;
  const causeCode = ((error as { cause?: { code?: unknown } } | null)?.cause)?.code;
  if (typeof causeCode === 'string' && NETWORK_ERROR_CODES[causeCode]) return causeCode;
  return typeof ownCode === 'string' ? ownCode : undefined;
}

function describeError(error: unknown): string {
  if (isAxiosError(error)) return error.cause instanceof Error ? error.cause.message : error.message;
  return error instanceof Error ? error.message : String(error);
}

