import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connector, ConnectorJob, JobContext } from '../src/connectors/connector';
import { ServiceClient } from '../src/connectors/service-client';

/** The service name and connector type of the HTTP probe. */
export const HTTP_PROBE = 'http-probe';

/** A service on loopback that returns the JSON body of `POST /v1/echo` in its response. */
export class HttpProbeService {
  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<HttpProbeService> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        response.writeHead(request.method === 'POST' && request.url === '/v1/echo' ? 200 : 404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ echo: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new HttpProbeService(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  get echoUrl(): string {
    return `${this.baseUrl}/v1/echo`;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}

/**
 * A connector that sends each job's payload to the probe service through the same
 * ServiceClient the real connectors use, so its request is traced as theirs are.
 */
export class HttpProbeConnector implements Connector {
  readonly type = HTTP_PROBE;
  readonly services = [HTTP_PROBE];
  private readonly client: ServiceClient;

  constructor(service: HttpProbeService) {
    this.client = new ServiceClient({ service: HTTP_PROBE, baseUrl: `${service.baseUrl}/v1`, timeoutMs: 5_000 });
  }

  async process(job: ConnectorJob, context: JobContext): Promise<unknown> {
    return this.client.requestJson({ method: 'POST', path: '/echo', body: job.payload, signal: context.signal, logger: context.logger });
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
