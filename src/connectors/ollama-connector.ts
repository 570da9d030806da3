import type { Connector, ConnectorJob, JobContext } from './connector';
import { ConnectorError } from './connector-error';
import type { ConnectorSettings } from './connector-settings';
import { describeRequest, incompleteStream, malformedResponse, type RequestTarget } from './http-errors';
import { asRecord, isNumberArray } from './json-values';
import { PayloadReader } from './payload-fields';
import { ServiceClient } from './service-client';
import { normaliseOllamaHost } from './service-urls';
import { StreamProgress } from './stream-progress';

export const OLLAMA_SERVICE = 'ollama';
export const OLLAMA_OPERATIONS = ['generate', 'chat', 'embeddings'] as const;
type OllamaOperation = (typeof OLLAMA_OPERATIONS)[number];

/** Fields of Ollama's final reply that a result keeps: why it stopped, token counts and timings in ns. */
const STATISTICS = ['done_reason', 'total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration'];

/**
 * Runs `ollama` jobs against the Ollama server at OLLAMA_HOST (a full URL or host:port).
 *
 * The payload selects the operation:
 * - `operation`: `"generate"` (the default, /api/generate), `"chat"` (/api/chat) or
 *   `"embeddings"` (/api/embed)
 * - `model`: the model name, required
 * - generate: `prompt` (required); chat: `messages` (required); both take `stream` (default
 *   false; true reads Ollama's NDJSON stream and reports progress as chunks arrive)
 * - embeddings: `input`, a string or an array of strings
 * - `parameters`: further request body fields passed as they are (such as `options`,
 *   `system`, `format` or `keep_alive`), but none of the fields above
 *
 * Results: generate `{ operation, model, response, streamed, ...statistics }`, chat
 * `{ operation, model, message, streamed, ...statistics }`, embeddings `{ operation, model, embeddings }`.
 */
export class OllamaConnector implements Connector {
  readonly type = 'ollama';
  readonly services = [OLLAMA_SERVICE];
  private readonly client: ServiceClient;

  constructor(settings: ConnectorSettings) {
    this.client = new ServiceClient({
      service: OLLAMA_SERVICE,
      baseUrl: normaliseOllamaHost(settings.ollama.host),
      timeoutMs: settings.requestTimeoutMs,
    });
  }

  async process(job: ConnectorJob, context: JobContext): Promise<unknown> {
    const payload = new PayloadReader(OLLAMA_SERVICE, job.payload);
    const operation: OllamaOperation = payload.oneOf('operation', OLLAMA_OPERATIONS, 'generate');
    const model = payload.string('model');

    if (operation === 'embeddings') return this.embed(payload, model, context);

    const input = operation === 'chat' ? { messages: payload.messages('messages') } : { prompt: payload.string('prompt') };
    const stream = payload.boolean('stream', false);
    const reserved = ['model', 'stream', operation === 'chat' ? 'messages' : 'prompt'];
    const body = { ...payload.withoutReserved('parameters', reserved), model, ...input, stream };
    const path = operation === 'chat' ? '/api/chat' : '/api/generate';

    const reply = stream ? await this.streamReply(path, body, context) : await this.reply(path, body, context);
    const statistics = Object.fromEntries(STATISTICS.filter((field) => field in reply.final).map((field) => [field, reply.final[field]]));
    const output = operation === 'chat' ? { message: { role: reply.role, content: reply.text } } : { response: reply.text };
    return { operation, model: reply.final.model ?? model, ...output, streamed: stream, ...statistics };
  }

  async close(): Promise<void> {
    this.client.close();
  }

  private async reply(path: string, body: unknown, context: JobContext): Promise<OllamaReply> {
    const target = this.target('POST', path);
    const record = asRecord(await this.client.requestJson({ method: 'POST', path, body, signal: context.signal, logger: context.logger }));
    if (!record) throw malformedResponse(target, 200, 'the body is not a JSON object');
    const reply = emptyReply();
    appendChunk(target, reply, record, 1);
    return reply;
  }

  /** Reads Ollama's stream: one JSON object per line, the last with `"done": true` and the statistics. */
  private async streamReply(path: string, body: unknown, context: JobContext): Promise<OllamaReply> {
    const target = this.target('POST', path);
    const progress = new StreamProgress(context, null);
    const reply = emptyReply();
    let done = false;

    await this.client.requestLines({ method: 'POST', path, body, signal: context.signal, logger: context.logger }, async (line) => {
      if (line.trim() === '' || done) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw malformedResponse(target, 200, `stream line ${progress.received + 1} is not JSON: ${JSON.stringify(line.slice(0, 80))}`);
      }
      const chunk = asRecord(parsed);
      if (!chunk) throw malformedResponse(target, 200, `stream line ${progress.received + 1} is not a JSON object`);

      appendChunk(target, reply, chunk, progress.received + 1);
      done = chunk.done === true;
      await progress.chunk();
    });

    if (!done) throw incompleteStream(target, 'the stream ended before a line with "done": true');
    return reply;
  }

  private async embed(payload: PayloadReader, model: string, context: JobContext): Promise<unknown> {
    const body = { ...payload.withoutReserved('parameters', ['model', 'input']), model, input: payload.textInput('input') };
    const path = '/api/embed';
    const response = asRecord(await this.client.requestJson({ method: 'POST', path, body, signal: context.signal, logger: context.logger }));

    const target = this.target('POST', path);
    const embeddings = response?.embeddings;
    if (!Array.isArray(embeddings) || embeddings.length === 0) throw malformedResponse(target, 200, '"embeddings" is not a non-empty array');
    embeddings.forEach((vector, index) => {
      if (!isNumberArray(vector)) throw malformedResponse(target, 200, `"embeddings[${index}]" is not an array of numbers`);
    });
    return { operation: 'embeddings', model: response?.model ?? model, embeddings };
  }

  private target(method: string, path: string): RequestTarget {
    return { service: OLLAMA_SERVICE, method, url: `${this.client.baseUrl}${path}` };
  }
}

interface OllamaReply {
  text: string;
  role: string;
  /** The last object received, which carries the statistics when `done` is true. */
  final: Record<string, unknown>;
}

function emptyReply(): OllamaReply {
  return { text: '', role: 'assistant', final: {} };
}

/** Adds one reply object (a whole reply, or one line of a stream) to the text received so far. */
function appendChunk(target: RequestTarget, reply: OllamaReply, chunk: Record<string, unknown>, index: number): void {
  if (chunk.error !== undefined) {
    throw new ConnectorError(`${target.service} ${describeRequest(target)} sent an error: ${String(chunk.error)}`, {
      service: target.service,
      kind: 'stream_error',
      retryable: false,
      status: 200,
    });
  }

  const message = asRecord(chunk.message);
  if (typeof chunk.response === 'string') {
    reply.text += chunk.response;
  } else if (message && typeof message.content === 'string') {
    reply.text += message.content;
    if (typeof message.role === 'string') reply.role = message.role;
  } else {
    throw malformedResponse(target, 200, `object ${index} has neither "response" nor "message.content"`);
  }
  reply.final = chunk;
}
