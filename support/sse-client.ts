import { request } from 'node:http';

export interface ServerSentEvent {
  id: string | null;
  event: string;
  data: unknown;
}

/**
 * Follows a Server-Sent Events stream and collects its events until the server ends it.
 * `done` settles when the stream ends; `close` ends it early.
 */
export class SseClient {
  readonly events: ServerSentEvent[] = [];
  readonly done: Promise<void>;
  private closeRequest: () => void = () => undefined;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.done = new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`Event stream ${url} returned status ${response.statusCode}.`));
          response.resume();
          return;
        }
        let buffer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            this.parse(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        });
        response.on('end', () => resolve());
        response.on('error', reject);
      });
      req.on('error', reject);
      req.end();
      this.closeRequest = () => req.destroy();
    });
  }

  close(): void {
    this.closeRequest();
  }

  private parse(block: string): void {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const [field, ...rest] = line.split(':');
      const value = rest.join(':').replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) this.events.push({ id, event, data: JSON.parse(data.join('\n')) });
  }
}
