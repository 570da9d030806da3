import { Writable } from 'node:stream';

import { createLogger, type Logger } from '../../src/logger';

/** Creates a debug-level logger whose records and raw lines a test can read. */
export function capturedLogger(): { logger: Logger; lines: string[]; records: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter((line) => line !== ''));
      callback();
    },
  });
  return {
    logger: createLogger({ name: 'test', level: 'debug', destination }),
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
