import { Writable } from 'node:stream';

import { createLogger, type Logger } from '../src/logger';

/** A logger whose lines the scenario can read back, to check outcomes and that no secret leaked. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly logger: Logger;

  constructor(name: string, level = process.env.LOG_LEVEL ?? 'info') {
    const lines = this.lines;
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(...chunk.toString().split('\n').filter((line) => line !== ''));
        callback();
      },
    });
    this.logger = createLogger({ name, level, destination });
  }

  /** Parsed log records whose message is `msg`. */
  records(msg: string): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((record) => record.msg === msg);
  }
}
