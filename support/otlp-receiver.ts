import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One span as an OTLP/HTTP JSON export request carries it, with its resource's service name. */
export interface ReceivedSpan {
  serviceName: string;
  resource: Record<string, unknown>;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, unknown>;
}

export interface ReceivedExport {
  path: string;
  headers: IncomingHttpHeaders;
  spans: ReceivedSpan[];
}

interface OtlpKeyValue {
  key: string;
  value: Record<string, unknown>;
}

interface OtlpTraceRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: OtlpKeyValue[] }[] }[];
  }[];
}

/**
 * An OpenTelemetry collector stand-in on loopback. It accepts OTLP/HTTP JSON export requests
 * on any path and keeps their headers and spans, and it rejects protobuf requests with 415.
 */
export class OtlpReceiver {
  readonly exports: ReceivedExport[] = [];
  /** Requests the receiver could not read, with the reason. */
  readonly rejected: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<OtlpReceiver> {
    let receiver: OtlpReceiver | null = null;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const status = receiver!.receive(request.url ?? '', request.headers, Buffer.concat(chunks));
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(status === 200 ? '{}' : JSON.stringify({ message: receiver!.rejected.at(-1) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new OtlpReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return receiver;
  }

  spans(): ReceivedSpan[] {
    return this.exports.flatMap((received) => received.spans);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private receive(path: string, headers: IncomingHttpHeaders, body: Buffer): number {
    if (!String(headers['content-type']).startsWith('application/json')) {
      this.rejected.push(`${path}: content type ${headers['content-type']} is not OTLP JSON`);
      return 415;
    }
    try {
      const text = headers['content-encoding'] === 'gzip' ? gunzipSync(body).toString() : body.toString();
      this.exports.push({ path, headers, spans: readSpans(JSON.parse(text) as OtlpTraceRequest) });
      return 200;
    } catch (error) {
      this.rejected.push(`${path}: ${(error as Error).message}`);
      return 400;
    }
  }
}

function readSpans(request: OtlpTraceRequest): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = readAttributes(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        spans.push({
          serviceName: String(resource['service.name']),
          resource,
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ?? '',
          name: span.name,
          kind: span.kind,
          attributes: readAttributes(span.attributes),
        });
      }
    }
  }
  return spans;
}

function readAttributes(attributes: OtlpKeyValue[] = []): Record<string, unknown> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, Object.values(value)[0]]));
}
