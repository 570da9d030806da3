import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

import type { Exchange, RecordedRequest, RecordedResponse } from './recording';

/** Request headers the proxy keeps in a recording; the others carry credentials or differ per run. */
const KEPT_REQUEST_HEADERS = ['content-type', 'accept'];

/** Response headers a replay needs: the body's type and a rate limit's wait. */
const KEPT_RESPONSE_HEADERS = ['content-type', 'retry-after'];

/** Hop-by-hop headers, which a proxy must not forward. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length', 'accept-encoding']);

const STREAMED_TYPES = /^(text\/event-stream|application\/x-ndjson|application\/jsonl)/i;
const TEXT_TYPES = /^(application\/json|text\/|application\/[a-z.+-]*json)/i;

/**
 * A reverse proxy on loopback in front of a real service. The connector under recording calls
 * the proxy's URL; the proxy forwards each request to the service, streams the reply back
 * unchanged, and keeps the exchange (request, then the response's chunks as they arrived).
 */
export class RecordingProxy {
  readonly exchanges: Exchange[] = [];
  private readonly target: URL;
  private readonly targetPrefix: string;
  private server: Server | null = null;
  private localUrl = '';

  /** `targetBaseUrl` is the service's real base URL, such as `https://api.openai.com/v1`. */
  constructor(
    targetBaseUrl: string,
    private readonly onExchange: (exchange: Exchange) => void = () => undefined,
  ) {
    this.target = new URL(targetBaseUrl);
    this.targetPrefix = this.target.pathname.replace(/\/+$/, '');
  }

  /** The base URL the connector uses instead of the service's: the proxy's, with the same path. */
  get url(): string {
    return `${this.localUrl}${this.targetPrefix}`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      this.forward(request, response).catch((error: Error) => {
        if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: `the recording proxy could not reach ${this.target.origin}: ${error.message}` }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.localUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async forward(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const bodyBytes = await readAll(incoming);
    const url = new URL(incoming.url ?? '/', this.localUrl);
    const recordedRequest: RecordedRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname.startsWith(this.targetPrefix) ? url.pathname.slice(this.targetPrefix.length) || '/' : url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: pick(incoming.headers, KEPT_REQUEST_HEADERS),
      body: decodeBody(bodyBytes, String(incoming.headers['content-type'] ?? '')),
    };

    const upstream = await this.send(incoming, url, bodyBytes);
    outgoing.writeHead(upstream.statusCode ?? 502, forwardedHeaders(upstream.headers));
    // A connector that cancels its job closes the connection mid-stream; the recording keeps what arrived.
    outgoing.on('error', () => undefined);
    outgoing.on('close', () => upstream.destroy());

    const contentType = String(upstream.headers['content-type'] ?? '');
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of upstream) {
        chunks.push(chunk as Buffer);
        outgoing.write(chunk);
      }
    } catch (error) {
      if (!outgoing.destroyed) throw error;
    }
    outgoing.end();

    const exchange: Exchange = { request: recordedRequest, response: recordResponse(upstream.statusCode ?? 502, pick(upstream.headers, KEPT_RESPONSE_HEADERS), contentType, chunks) };
    this.exchanges.push(exchange);
    this.onExchange(exchange);
  }

  private send(incoming: IncomingMessage, url: URL, body: Buffer): Promise<IncomingMessage> {
    const target = new URL(`${this.target.origin}${url.pathname}${url.search}`);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const request = send(target, { method: incoming.method, headers: { ...forwardedHeaders(incoming.headers), 'accept-encoding': 'identity' } }, resolve);
      request.on('error', reject);
      request.end(body);
    });
  }
}

function recordResponse(status: number, headers: Record<string, string>, contentType: string, chunks: Buffer[]): RecordedResponse {
  if (STREAMED_TYPES.test(contentType)) return { status, headers, chunks: chunks.map((chunk) => chunk.toString('utf8')) };
  const body = Buffer.concat(chunks);
  if (body.length > 0 && !TEXT_TYPES.test(contentType) && contentType !== '') return { status, headers, base64: body.toString('base64') };
  return { status, headers, body: decodeBody(body, contentType) };
}

/** Parses a body as JSON when it is JSON, and keeps it as text otherwise; null when empty. */
export function decodeBody(body: Buffer, contentType: string): unknown {
  if (body.length === 0) return null;
  const text = body.toString('utf8');
  if (/json/i.test(contentType) || contentType === '') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function pick(headers: IncomingHttpHeaders, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (value !== undefined) picked[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return picked;
}

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const forwarded: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) forwarded[name] = value;
  }
  return forwarded;
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
