import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import axios, { type AxiosInstance, type AxiosResponse, type ResponseType } from 'axios';

import type { Logger } from '../logger';
import { errorForFailure, errorForStatus, malformedResponse, RequestTimeoutError, type RequestTarget } from './http-errors';
import { readLines } from './line-stream';
import { ATTR, httpClientSpanName, WORKER_TRACER } from '../telemetry/attributes';
import { recordError } from '../telemetry/job-tracing';

export interface ServiceClientOptions {
  /** Service name recorded in job errors, such as `openai`. */
  service: string;
  /** Root URL that request paths are appended to, without a trailing slash. */
  baseUrl: string;
  /** How long to wait for a response, and between two chunks of a streamed one, in ms. */
  timeoutMs: number;
  headers?: Record<string, string>;
  /** Values that must never appear in an error message, such as the API key. */
  secrets?: readonly string[];
}

export interface ServiceRequest {
  method: 'GET' | 'POST';
  /** Path below the base URL, starting with `/`. */
  path: string;
  /** The path with its variable parts as placeholders, such as `/history/{prompt_id}`; defaults to `path`. */
  route?: string;
  body?: unknown;
  query?: Record<string, string>;
  signal: AbortSignal;
  logger: Logger;
}

/** Upper bound on an error body read from a streamed response, so a broken service cannot flood memory. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * HTTP access to one AI service: keep-alive connections, a timeout of its own, cancellation
 * through the job's AbortSignal, and every failure turned into a classified ConnectorError
 * that names the service, the method and the URL but never a credential.
 */
export class ServiceClient {
  private readonly http: AxiosInstance;
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });
  private readonly secrets: readonly string[];

  constructor(private readonly options: ServiceClientOptions) {
    this.secrets = options.secrets ?? [];
    this.http = axios.create({
      baseURL: options.baseUrl,
      headers: options.headers,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      validateStatus: () => true,
      maxRedirects: 0,
      proxy: false,
    });
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Sends a request and returns its JSON body; a body that is not JSON is a permanent failure. */
  async requestJson(request: ServiceRequest): Promise<unknown> {
    return this.exchange(request, 'text', (response, target) => {
      const text = String(response.data ?? '');
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
        throw malformedResponse(target, response.status, `the body is not JSON (${(error as Error).message}): ${JSON.stringify(shown)}`);
      }
    });
  }

  /** Sends a request and returns its body as bytes, with the content type the service declared. */
  async requestBytes(request: ServiceRequest): Promise<{ data: Buffer; contentType: string | null }> {
    return this.exchange(request, 'arraybuffer', (response) => ({
      data: Buffer.from(response.data as ArrayBuffer),
      contentType: typeof response.headers['content-type'] === 'string' ? response.headers['content-type'] : null,
    }));
  }

  /**
   * Sends a request whose response is a stream of lines (server-sent events or NDJSON) and
   * passes each line to `onLine` as it arrives. The timeout restarts with every chunk, and a
   * cancelled job destroys the stream at once.
   */
  async requestLines(request: ServiceRequest, onLine: (line: string) => Promise<void> | void): Promise<void> {
    await this.exchange(request, 'stream', async (response, _target, timer) => {
      for await (const line of readLines(response.data as Readable, () => timer.restart())) await onLine(line);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /**
   * Runs one request in a CLIENT span, a child of the connector's span. The span is made here,
   * not by the HTTP instrumentation, because requests that nock intercepts in Phase 2 never
   * reach the instrumentation. It is suppressed for the request, so production records the same
   * single span. The trace context still goes out in the request headers.
   */
  private async exchange<T>(
    request: ServiceRequest,
    responseType: ResponseType,
    read: (response: AxiosResponse, target: RequestTarget, timer: RequestTimer) => Promise<T> | T,
  ): Promise<T> {
    const url = new URL(`${this.options.baseUrl}${request.path}`);
    const attributes = {
      [ATTR.httpRequestMethod]: request.method,
      [ATTR.urlFull]: `${url.origin}${url.pathname}`,
      [ATTR.serverAddress]: url.hostname,
      [ATTR.serverPort]: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      [ATTR.peerService]: this.options.service,
    };
    const name = httpClientSpanName(request.method, request.route ?? request.path);
    const tracer = trace.getTracer(WORKER_TRACER);

    return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const headers: Record<string, string> = {};
      propagation.inject(context.active(), headers);
      try {
        return await context.with(suppressTracing(context.active()), () => this.send(request, responseType, read, headers, span));
      } catch (error) {
        recordError(span, error);
        throw error;
      } finally {
        span.end();
      }
    });
  }

  private async send<T>(
    request: ServiceRequest,
    responseType: ResponseType,
    read: (response: AxiosResponse, target: RequestTarget, timer: RequestTimer) => Promise<T> | T,
    traceHeaders: Record<string, string>,
    span: Span,
  ): Promise<T> {
    const target: RequestTarget = { service: this.options.service, method: request.method, url: `${this.options.baseUrl}${request.path}` };
    const timer = new RequestTimer(this.options.timeoutMs);
    const signal = AbortSignal.any([request.signal, timer.signal]);
    const startedAt = performance.now();
    let stream: Readable | null = null;
    const destroyStream = () => stream?.destroy(new Error('request aborted'));
    signal.addEventListener('abort', destroyStream, { once: true });

    try {
      const response = await this.http.request({
        method: request.method,
        url: request.path,
        headers: traceHeaders,
        data: request.body,
        params: request.query,
        responseType,
        transformResponse: (data: unknown) => data,
        signal,
      });
      if (responseType === 'stream') stream = response.data as Readable;
      request.logger.debug({ service: target.service, method: target.method, url: target.url, status: response.status }, 'service responded');
      span.setAttribute(ATTR.httpResponseStatusCode, response.status);
      if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${response.status}` });

      if (response.status >= 400) {
        const body = await readErrorBody(response, responseType);
        throw errorForStatus(target, response.status, response.headers as Record<string, unknown>, body, this.secrets);
      }
      timer.restart();
      return await read(response, target, timer);
    } catch (error) {
      const classified = errorForFailure(target, error, { job: request.signal, timeout: timer.signal }, this.secrets);
      request.logger.debug({ service: target.service, method: target.method, url: target.url, durationMs: Math.round(performance.now() - startedAt) }, 'service request failed');
      throw classified;
    } finally {
      signal.removeEventListener('abort', destroyStream);
      timer.clear();
      stream?.destroy();
    }
  }
}

/** Aborts its signal once `timeoutMs` pass without a restart. */
class RequestTimer {
  private readonly controller = new AbortController();
  private readonly handle: NodeJS.Timeout;

  constructor(private readonly timeoutMs: number) {
    this.handle = setTimeout(() => this.controller.abort(new RequestTimeoutError(this.timeoutMs)), timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  restart(): void {
    if (!this.controller.signal.aborted) this.handle.refresh();
  }

  clear(): void {
    clearTimeout(this.handle);
  }
}

async function readErrorBody(response: AxiosResponse, responseType: ResponseType): Promise<string> {
  if (responseType === 'text') return String(response.data ?? '');
  if (responseType === 'arraybuffer') return Buffer.from(response.data as ArrayBuffer).toString('utf8');

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.data as Readable) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= MAX_ERROR_BODY_BYTES) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}
