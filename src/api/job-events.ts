import type { ServerResponse } from 'node:http';
import type Redis from 'ioredis';

import type { Logger } from '../logger';
import type { JobQueue } from '../queue/job-queue';

const TERMINAL_EVENT = /"status":"(completed|failed|cancelled)"/;
/** How long one XREAD blocks before the stream sends a keep-alive comment, in ms. */
const KEEP_ALIVE_MS = 15_000;

/**
 * Streams a job's events as Server-Sent Events: its history first, then progress and status
 * changes as they happen, and ends after the final status. A client that reconnects with
 * Last-Event-ID resumes after that event.
 */
export class JobEventStream {
  private connection: Redis | null = null;
  private closed = false;

  constructor(
    private readonly queue: JobQueue,
    private readonly jobId: string,
    private readonly response: ServerResponse,
    private readonly logger: Logger,
  ) {}

  async run(lastEventId: string | undefined): Promise<void> {
    this.response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.response.on('close', () => this.close());
    this.connection = this.queue.redis.duplicate({ connectionName: `conveyor-sse-${this.jobId}` });

    let cursor = lastEventId && /^\d+-\d+$/.test(lastEventId) ? lastEventId : '0';
    try {
      while (!this.closed) {
        const reply = await this.connection.xread('COUNT', 100, 'BLOCK', KEEP_ALIVE_MS, 'STREAMS', this.queue.keys.events(this.jobId), cursor);
        if (!reply) {
          if (!(await this.jobExists())) break;
          this.response.write(': keep-alive\n\n');
          continue;
        }
        for (const [id, fields] of reply[0][1]) {
          cursor = id;
          const type = fields[fields.indexOf('type') + 1];
          const data = fields[fields.indexOf('data') + 1];
          this.response.write(`id: ${id}\nevent: ${type}\ndata: ${data}\n\n`);
          if (type === 'status' && TERMINAL_EVENT.test(data)) this.closed = true;
        }
      }
    } catch (error) {
      if (!this.closed) this.logger.warn({ err: error, jobId: this.jobId }, 'job event stream failed');
    } finally {
      this.close();
    }
  }

  close(): void {
    this.closed = true;
    this.connection?.disconnect();
    this.connection = null;
    if (!this.response.writableEnded) this.response.end();
  }

  private async jobExists(): Promise<boolean> {
    return (await this.queue.redis.exists(this.queue.keys.job(this.jobId))) === 1;
  }
}
