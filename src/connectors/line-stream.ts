import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * Yields the lines of a streamed body as they arrive, without their line endings. Server-sent
 * events and NDJSON are both line-based, so one reader serves both. An empty last line is not
 * yielded; a last line without a line ending is. `onChunk` runs for every chunk received.
 */
export async function* readLines(stream: Readable, onChunk?: () => void): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let buffered = '';

  for await (const chunk of stream) {
    onChunk?.();
    buffered += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      yield buffered.slice(0, newline).replace(/\r$/, '');
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  }

  buffered += decoder.end();
  if (buffered !== '') yield buffered.replace(/\r$/, '');
}
