import Fastify, { LogController, type FastifyError } from 'fastify';
import secureJson from 'secure-json-parse';

import type { Logger } from '../logger';
import type { PhaseConfig } from '../phase/phase-config';
import { formatWorkersSpec } from '../worker/workers-spec';
import { QueueError, ScriptErrorCode } from '../queue/error-codes';
import type { JobQueue } from '../queue/job-queue';
import { LeaseReaper } from '../queue/lease-reaper';
import { listWorkers } from '../queue/worker-registry';
import { traceSubmission } from '../telemetry/job-tracing';
import { isAuthorized } from './auth';
import { JobEventStream } from './job-events';
import { BODY_LIMIT_BYTES, findShapeProblem, JOB_ID_PATTERN, submitJobSchema, type SubmitJobBody } from './job-schema';
import { jobView } from './job-view';
import { frameworkError, RequestError, validationError } from './request-errors';

export type ApiServer = ReturnType<typeof createServer>;

function createServer(logger: Logger) {
  return Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
    schemaErrorFormatter: (issues, dataVar) => Object.assign(new Error(dataVar), { validation: issues }),
  });
}

export interface ApiOptions {
  queue: JobQueue;
  phase: PhaseConfig;
  logger: Logger;
  /** When set, every /api route requires `Authorization: Bearer <token>`. */
  authToken?: string;
  /** When set, a lease reaper runs at this interval, in ms, from ready until close. */
  leaseReapIntervalMs?: number;
}

/** Builds the HTTP API. The caller listens and closes; closing ends open event streams. */
export function buildApi(options: ApiOptions): ApiServer {
  const { queue, phase, logger, authToken, leaseReapIntervalMs } = options;
  const app = createServer(logger);
  const streams = new Set<JobEventStream>();

  if (leaseReapIntervalMs !== undefined) {
    const reaper = new LeaseReaper({ queue, logger, intervalMs: leaseReapIntervalMs });
    app.addHook('onReady', async () => reaper.start());
    app.addHook('onClose', async () => reaper.stop());
  }

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known =
      error instanceof RequestError
        ? error
        : error.validation
          ? validationError(error.validation as never, request.body)
          : frameworkError(error);
    if (known) {
      request.log.debug({ status: known.statusCode, reason: known.message }, 'request rejected');
      return reply.status(known.statusCode).send({ error: known.code, message: known.message, field: known.field });
    }
    if (isRedisUnavailable(error)) {
      request.log.error({ err: error, method: request.method, url: request.url }, 'request failed: Redis is unreachable');
      return reply.status(503).send({ error: 'redis_unavailable', message: 'The job store (Redis) is unreachable; nothing was changed. Retry later.' });
    }
    request.log.error({ err: error, method: request.method, url: request.url }, 'request failed');
    return reply.status(500).send({ error: 'internal_error', message: 'Internal server error; the API log has the details.' });
  });

  app.setNotFoundHandler((request, reply) => {
    const message = `No route ${request.method} ${request.url.split('?')[0]}: the API has POST /api/jobs, GET /api/jobs/:id, POST /api/jobs/:id/cancel, GET /api/jobs/:id/events, GET /api/workers, GET /health and GET /test/phase.`;
    return reply.status(404).send({ error: 'route_not_found', message });
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as RequestError, undefined);
    }
  });

  // Routes other than submission take no body; an empty one is accepted whatever its type.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    if (body === '') {
      done(null, undefined);
      return;
    }
    done(new RequestError(415, 'unsupported_media_type', 'Unsupported content type: send the job as application/json.'), undefined);
  });

  app.addHook('onRequest', async (request) => {
    if (authToken && request.url.startsWith('/api/') && !isAuthorized(request.headers.authorization, authToken)) {
      throw new RequestError(401, 'unauthorized', 'Missing or invalid bearer token: send "Authorization: Bearer <API_AUTH_TOKEN>".');
    }
  });

  // Event streams are long-lived requests: they end before close() waits for requests to drain.
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.close();
  });

  app.post<{ Body: SubmitJobBody }>('/api/jobs', { schema: { body: submitJobSchema } }, async (request, reply) => {
    const body = request.body;
    for (const field of ['payload', 'requirements'] as const) {
      const problem = body[field] === undefined ? null : findShapeProblem(body[field]);
      if (problem) throw new RequestError(400, 'invalid_request', `Invalid ${field}: ${problem}.`, field);
    }

    const job = await traceSubmission(body.service_required, (traceContext) =>
      queue.submit({
        service: body.service_required,
        payload: body.payload,
        priority: body.priority,
        maxAttempts: body.max_attempts,
        requirements: body.requirements,
        ...traceContext,
      }),
    );
    request.log.debug({ jobId: job.id, service: job.service, priority: job.priority }, 'job submitted');
    return reply.status(201).send(jobView(job));
  });

  app.get<{ Params: { id: string } }>('/api/jobs/:id', async (request) => {
    const job = JOB_ID_PATTERN.test(request.params.id) ? await queue.get(request.params.id) : null;
    if (!job) throw jobNotFound(request.params.id);
    return jobView(job);
  });

  app.post<{ Params: { id: string } }>('/api/jobs/:id/cancel', async (request) => {
    const { id } = request.params;
    if (!JOB_ID_PATTERN.test(id)) throw jobNotFound(id);
    try {
      const { wasRunning } = await queue.cancel(id);
      request.log.info({ jobId: id, wasRunning }, 'job cancelled');
    } catch (error) {
      if (error instanceof QueueError && error.code === ScriptErrorCode.JobNotFound) throw jobNotFound(id);
      if (error instanceof QueueError && error.code === ScriptErrorCode.JobFinished) {
        const job = await queue.get(id);
        throw new RequestError(409, 'job_finished', `Job ${id} has already finished with status ${job?.status}; only pending or running jobs can be cancelled.`);
      }
      throw error;
    }
    return jobView((await queue.get(id))!);
  });

  app.get<{ Params: { id: string } }>('/api/jobs/:id/events', async (request, reply) => {
    const { id } = request.params;
    if (!JOB_ID_PATTERN.test(id) || !(await queue.get(id))) throw jobNotFound(id);

    reply.hijack();
    const stream = new JobEventStream(queue, id, reply.raw, request.log);
    streams.add(stream);
    const lastEventId = request.headers['last-event-id'];
    await stream.run(typeof lastEventId === 'string' ? lastEventId : undefined);
    streams.delete(stream);
  });

  app.get('/api/workers', async () => ({ workers: await listWorkers(queue) }));

  app.get('/health', async (_request, reply) => {
    try {
      await withTimeout(queue.redis.ping(), 1_000);
      return { status: 'ok', redis: 'up' };
    } catch (error) {
      logger.warn({ err: error }, 'health check: Redis is unreachable');
      return reply.status(503).send({ status: 'unavailable', redis: 'down' });
    }
  });

  app.get('/test/phase', async () => ({
    phase: phase.phase,
    workers: formatWorkersSpec(phase.workers),
    worker_mode: phase.workerMode,
    mock_mode: phase.mockMode,
    node_env: phase.nodeEnv,
  }));

  return app;
}

/** Parses a JSON body, rejecting `__proto__` and `constructor.prototype` keys that could poison objects. */
function parseJsonBody(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return secureJson.parse(body, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const reason = (error as Error).message;
    if (/prototype property/.test(reason)) {
      throw new RequestError(400, 'invalid_json', 'The request body contains a "__proto__" or "constructor.prototype" key, which is not allowed.');
    }
    throw new RequestError(400, 'invalid_json', `The request body is not valid JSON (${reason}): send a JSON object such as {"service_required": "mock", "payload": {}}.`);
  }
}

/** Tells whether an error means Redis could not be reached, as ioredis reports it. */
function isRedisUnavailable(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    /Connection is closed|Stream isn't writeable/.test(error.message)
  );
}

function jobNotFound(id: string): RequestError {
  return new RequestError(404, 'job_not_found', `Job ${JSON.stringify(id)} not found.`);
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
