import { normaliseOllamaHost } from '../connectors/service-urls';
import { ndjsonLines, scriptedStream, type ScriptedStreamOptions } from './scripted-stream';
import { ServiceMock } from './service-mock';

export const OLLAMA_PATHS = { generate: '/api/generate', chat: '/api/chat', embeddings: '/api/embed' } as const;
export type OllamaOperation = keyof typeof OLLAMA_PATHS;

const CREATED_AT = '2026-01-01T00:00:00.000000Z';

/** The statistics Ollama adds to its final reply; durations are in nanoseconds. */
const STATISTICS = {
  done_reason: 'stop',
  total_duration: 412_000_000,
  load_duration: 21_000_000,
  prompt_eval_count: 12,
  prompt_eval_duration: 30_000_000,
  eval_count: 8,
  eval_duration: 350_000_000,
};

/** Builds one reply object of /api/generate or /api/chat, in Ollama's wire format. */
export function ollamaReply(operation: 'generate' | 'chat', model: string, text: string, done: boolean): Record<string, unknown> {
  const output = operation === 'chat' ? { message: { role: 'assistant', content: text } } : { response: text };
  return { model, created_at: CREATED_AT, ...output, done, ...(done ? STATISTICS : {}) };
}

/** Builds the NDJSON lines of a streamed reply: one object per piece, then the final one with `done: true`. */
export function ollamaStreamLines(operation: 'generate' | 'chat', model: string, pieces: readonly string[], withDone = true): string[] {
  const objects = pieces.map((piece) => ollamaReply(operation, model, piece, false));
  return ndjsonLines(withDone ? [...objects, ollamaReply(operation, model, '', true)] : objects);
}

export function ollamaEmbeddings(model: string, inputs: number, dimensions: number): Record<string, unknown> {
  const embeddings = Array.from({ length: inputs }, (_, index) => Array.from({ length: dimensions }, (_, i) => Number(((index + 1) * 0.02 - i * 0.001).toFixed(4))));
  return { model, embeddings, total_duration: 14_000_000, load_duration: 1_000_000, prompt_eval_count: 3 * inputs };
}

/** Builds the reply of a server that does not have the model: 404 with Ollama's message. */
export function modelNotFound(model: string): Record<string, unknown> {
  return { error: `model "${model}" not found, try pulling it first` };
}

/** Fixtures of the Ollama server at OLLAMA_HOST. */
export class OllamaMock extends ServiceMock {
  constructor(host: string) {
    super('ollama', normaliseOllamaHost(host));
  }

  answers(operation: 'generate' | 'chat', model: string, text: string): void {
    this.intercept('POST', OLLAMA_PATHS[operation]).reply(200, ollamaReply(operation, model, text, true));
  }

  /** Streams the reply as NDJSON; `hang` leaves the stream open after the pieces, with no final line. */
  streams(operation: 'generate' | 'chat', model: string, pieces: readonly string[], options: ScriptedStreamOptions & { withoutDone?: boolean } = {}): void {
    const lines = ollamaStreamLines(operation, model, pieces, !options.hang && !options.withoutDone);
    this.intercept('POST', OLLAMA_PATHS[operation]).reply(200, () => scriptedStream(lines, options), { 'content-type': 'application/x-ndjson' });
  }

  embeds(model: string, inputs: number, dimensions: number): void {
    this.intercept('POST', OLLAMA_PATHS.embeddings).reply(200, ollamaEmbeddings(model, inputs, dimensions));
  }

  lacksModel(operation: OllamaOperation, model: string): void {
    this.failWith('POST', OLLAMA_PATHS[operation], { status: 404, body: modelNotFound(model) });
  }

  isDown(operation: OllamaOperation, times = 1): void {
    this.refuseConnection('POST', OLLAMA_PATHS[operation], times);
  }
}
