import { Readable } from 'node:stream';

export interface ScriptedStreamOptions {
  /** Pause before each chunk after the first, in ms. */
  intervalMs?: number;
  /** True to leave the stream open after the last chunk, as a service still generating would. */
  hang?: boolean;
}

/**
 * Creates a response body that sends its chunks one by one, the way a service streams tokens. A
 * hanging stream keeps no timer, so an abandoned one never keeps the process alive.
 */
export function scriptedStream(chunks: readonly string[], options: ScriptedStreamOptions = {}): Readable {
  const intervalMs = options.intervalMs ?? 0;
  let next = 0;
  let timer: NodeJS.Timeout | null = null;

  return new Readable({
    read() {
      if (timer) return;
      if (next >= chunks.length) {
        if (!options.hang) this.push(null);
        return;
      }
      const send = () => {
        timer = null;
        this.push(chunks[next++]);
      };
      if (next === 0 || intervalMs === 0) send();
      else timer = setTimeout(send, intervalMs);
    },
    destroy(error, callback) {
      if (timer) clearTimeout(timer);
      callback(error);
    },
  });
}

/** Encodes objects as server-sent events (`data: {json}` and a blank line), as OpenAI streams them. */
export function serverSentEvents(events: readonly unknown[], terminator: string | null = '[DONE]'): string[] {
  const lines = events.map((event) => `data: ${JSON.stringify(event)}\n\n`);
  return terminator === null ? lines : [...lines, `data: ${terminator}\n\n`];
}

/** Encodes objects as NDJSON lines, as Ollama streams them. */
export function ndjsonLines(objects: readonly unknown[]): string[] {
  return objects.map((object) => `${JSON.stringify(object)}\n`);
}
