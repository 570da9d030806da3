import type { FastifyError } from 'fastify';
import { BODY_LIMIT_BYTES, FIELD_RULES } from './job-schema';

/** An error the API returns with its own status and a message for the client. */
export class RequestError extends Error {
  override readonly name = 'RequestError';

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

/** Turns the first schema violation into a 400 that names the field and what it allows. */
export function validationError(issues: readonly ValidationIssue[], body: unknown): RequestError {
  const issue = issues[0];
  if (issue.keyword === 'required') {
    const field = String(issue.params.missingProperty);
    const unknown = body !== null && typeof body === 'object' ? Object.keys(body).filter((key) => !(key in FIELD_RULES)) : [];
    const hint = unknown.length > 0 ? ` Unknown field ${JSON.stringify(unknown[0])}: the allowed fields are ${Object.keys(FIELD_RULES).join(', ')}.` : '';
    return new RequestError(400, 'invalid_request', `Missing ${field}: it must be ${FIELD_RULES[field]}.${hint}`, field);
  }
  if (issue.keyword === 'additionalProperties') {
    const field = String(issue.params.additionalProperty);
    const allowed = Object.keys(FIELD_RULES).join(', ');
    return new RequestError(400, 'invalid_request', `Unknown field ${JSON.stringify(field)}: the allowed fields are ${allowed}.`, field);
  }

  const field = issue.instancePath.split('/')[1] ?? '';
  if (!field) {
    return new RequestError(400, 'invalid_request', 'The request body must be a JSON object with service_required and payload.');
  }
  const got = describeValue((body as Record<string, unknown>)[field]);
  return new RequestError(400, 'invalid_request', `Invalid ${field}: it must be ${FIELD_RULES[field]}, got ${got}.`, field);
}

/** Maps Fastify's own client errors (wrong content type, body too large) to plain messages. */
export function frameworkError(error: FastifyError): RequestError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new RequestError(415, 'unsupported_media_type', 'Unsupported content type: send the job as application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new RequestError(413, 'payload_too_large', `The request body is too large: the limit is ${BODY_LIMIT_BYTES} bytes.`);
    default:
      break;
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new RequestError(error.statusCode, 'bad_request', error.message);
  }
  return null;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
