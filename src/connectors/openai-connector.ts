import type { Connector, ConnectorJob, JobContext } from './connector';
import { ConnectorError } from './connector-error';
import type { ConnectorSettings } from './connector-settings';
import { summariseBinary, type BinarySummary } from './binary-output';
import { describeRequest, incompleteStream, malformedResponse, type RequestTarget } from './http-errors';
import { asRecord, isNumberArray } from './json-values';
import { PayloadReader } from './payload-fields';
import { ServiceClient } from './service-client';
import { normaliseOpenaiBaseUrl } from './service-urls';
import { StreamProgress } from './stream-progress';

export const OPENAI_SERVICE = 'openai';
export const OPENAI_OPERATIONS = ['chat', 'image', 'embeddings'] as const;
type OpenaiOperation = (typeof OPENAI_OPERATIONS)[number];

/**
 * Runs `openai` jobs against the OpenAI API (or any server that speaks it) at OPENAI_BASE_URL,
 * with or without its `/v1` suffix, authenticated with OPENAI_API_KEY.
 *
 * The payload selects the operation:
 * - `operation`: `"chat"` (the default), `"image"` or `"embeddings"`
 * - `model`: the model name, required
 * - chat: `messages` (required), `stream` (default false; true streams server-sent events and
 *   reports progress as chunks arrive)
 * - image: `prompt` (required); `inline_images` (default false) keeps base64 images of at most
 *   MAX_INLINE_BYTES in the result, any other is described by size and SHA-256
 * - embeddings: `input`, a string or an array of strings
 * - `parameters`: further request body fields passed as they are (such as `temperature`,
 *   `size` or `dimensions`), but none of the fields above
 *
 * Results: chat `{ operation, model, message, finish_reason, usage, streamed }`, image
 * `{ operation, model, created, images }`, embeddings `{ operation, model, embeddings, usage }`.
 */
export class OpenaiConnector implements Connector {
  readonly type = 'openai';
  readonly services = [OPENAI_SERVICE];
  private readonly client: ServiceClient;

  constructor(settings: ConnectorSettings) {
    const apiKey = settings.openai.apiKey;
    if (!apiKey) throw new Error('OPENAI_API_KEY is not set: set it to the API key of the OpenAI account, or remove openai from WORKERS.');

    this.client = new ServiceClient({
      service: OPENAI_SERVICE,
      baseUrl: normaliseOpenaiBaseUrl(settings.openai.baseUrl),
      timeoutMs: settings.requestTimeoutMs,
      headers: { authorization: `Bearer ${apiKey}` },
      secrets: [apiKey],
    });
  }

  async process(job: ConnectorJob, context: JobContext): Promise<unknown> {
    const payload = new PayloadReader(OPENAI_SERVICE, job.payload);
    const operation: OpenaiOperation = payload.oneOf('operation', OPENAI_OPERATIONS, 'chat');
    const model = payload.string('model');

    if (operation === 'image') return this.generateImage(payload, model, context);
    if (operation === 'embeddings') return this.embed(payload, model, context);
    if (payload.boolean('stream', false)) return this.streamChat(payload, model, context);
    return this.chat(payload, model, context);
  }

  async close(): Promise<void> {
    this.client.close();
  }

  private async chat(payload: PayloadReader, model: string, context: JobContext): Promise<unknown> {
    const body = { ...payload.withoutReserved('parameters', ['model', 'messages', 'stream']), model, messages: payload.messages('messages') };
    const path = '/chat/completions';
    const response = asRecord(await this.client.requestJson({ method: 'POST', path, body, signal: context.signal, logger: context.logger }));

    const target = this.target('POST', path);
    const choice = asRecord(Array.isArray(response?.choices) ? response.choices[0] : undefined);
    const message = asRecord(choice?.message);
    if (!message) throw malformedResponse(target, 200, '"choices[0].message" is missing');
    return { operation: 'chat', model: response?.model ?? model, message, finish_reason: choice?.finish_reason ?? null, usage: response?.usage ?? null, streamed: false };
  }

  /** Streams a chat completion as server-sent events: `data: {chunk}` lines, ended by `data: [DONE]`. */
  private async streamChat(payload: PayloadReader, model: string, context: JobContext): Promise<unknown> {
    const parameters = payload.withoutReserved('parameters', ['model', 'messages', 'stream', 'stream_options']);
    const body = { ...parameters, model, messages: payload.messages('messages'), stream: true, stream_options: { include_usage: true } };
    const path = '/chat/completions';
    const target = this.target('POST', path);
    const maxTokens = Number(parameters.max_completion_tokens ?? parameters.max_tokens) || null;
    const progress = new StreamProgress(context, maxTokens);

    let content = '';
    let role = 'assistant';
    let finishReason: unknown = null;
    let usage: unknown = null;
    let respondedModel: unknown = model;
    let done = false;

    await this.client.requestLines({ method: 'POST', path, body, signal: context.signal, logger: context.logger }, async (line) => {
      const data = serverSentData(line);
      if (data === null || done) return;
      if (data === '[DONE]') {
        done = true;
        return;
      }

      const chunk = parseStreamJson(target, data, progress.received + 1);
      if (chunk.error) throw streamError(target, chunk.error);
      const choice = asRecord(Array.isArray(chunk.choices) ? chunk.choices[0] : undefined);
      const delta = asRecord(choice?.delta);
      if (typeof delta?.content === 'string') content += delta.content;
      if (typeof delta?.role === 'string') role = delta.role;
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
      if (chunk.model) respondedModel = chunk.model;
      await progress.chunk();
    });

    if (!done) throw incompleteStream(target, 'the event stream ended before "data: [DONE]"');
    return { operation: 'chat', model: respondedModel, message: { role, content }, finish_reason: finishReason, usage, streamed: true, chunks: progress.received };
  }

  private async generateImage(payload: PayloadReader, model: string, context: JobContext): Promise<unknown> {
    const body = { ...payload.withoutReserved('parameters', ['model', 'prompt']), model, prompt: payload.string('prompt') };
    const inline = payload.boolean('inline_images', false);
    const path = '/images/generations';
    await context.reportProgress(0, 'generating the image');
    const response = asRecord(await this.client.requestJson({ method: 'POST', path, body, signal: context.signal, logger: context.logger }));

    const target = this.target('POST', path);
    if (!Array.isArray(response?.data)) throw malformedResponse(target, 200, '"data" is not an array of images');
    const images = response.data.map((entry, index) => describeImage(target, entry, index, inline));
    return { operation: 'image', model, created: response.created ?? null, images };
  }

  private async embed(payload: PayloadReader, model: string, context: JobContext): Promise<unknown> {
    const body = { ...payload.withoutReserved('parameters', ['model', 'input', 'encoding_format']), model, input: payload.textInput('input') };
    const path = '/embeddings';
    const response = asRecord(await this.client.requestJson({ method: 'POST', path, body, signal: context.signal, logger: context.logger }));

    const target = this.target('POST', path);
    if (!Array.isArray(response?.data)) throw malformedResponse(target, 200, '"data" is not an array of embeddings');
    const embeddings = response.data.map((entry, index) => {
      const vector = asRecord(entry)?.embedding;
      if (!isNumberArray(vector)) throw malformedResponse(target, 200, `"data[${index}].embedding" is not an array of numbers`);
      return vector;
    });
    return { operation: 'embeddings', model: response.model ?? model, embeddings, usage: response.usage ?? null };
  }

  private target(method: string, path: string): RequestTarget {
    return { service: OPENAI_SERVICE, method, url: `${this.client.baseUrl}${path}` };
  }
}

/** Returns the payload of a server-sent `data:` line, or null for comments, other fields and blank lines. */
function serverSentData(line: string): string | null {
  if (!line.startsWith('data:')) return null;
  return line.slice('data:'.length).trim();
}

function parseStreamJson(target: RequestTarget, data: string, index: number): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw malformedResponse(target, 200, `stream event ${index} is not JSON: ${JSON.stringify(data.slice(0, 80))}`);
  }
  const record = asRecord(parsed);
  if (!record) throw malformedResponse(target, 200, `stream event ${index} is not a JSON object`);
  return record;
}

/** Builds the failure for an error the service sent inside the stream; a server error may pass on a retry. */
function streamError(target: RequestTarget, error: unknown): ConnectorError {
  const record = asRecord(error);
  const message = typeof record?.message === 'string' ? record.message : JSON.stringify(error);
  const retryable = record?.type === 'server_error';
  return new ConnectorError(`${target.service} ${describeRequest(target)} sent an error in its stream: ${message}`, {
    service: target.service,
    kind: retryable ? 'server_error' : 'stream_error',
    retryable,
    status: 200,
  });
}

function describeImage(target: RequestTarget, entry: unknown, index: number, inline: boolean): Record<string, unknown> {
  const image = asRecord(entry);
  if (!image || (typeof image.url !== 'string' && typeof image.b64_json !== 'string')) {
    throw malformedResponse(target, 200, `"data[${index}]" has neither "url" nor "b64_json"`);
  }

  const described: Record<string, unknown> = {};
  if (typeof image.url === 'string') described.url = image.url;
  if (typeof image.revised_prompt === 'string') described.revised_prompt = image.revised_prompt;
  if (typeof image.b64_json === 'string') {
    const summary: BinarySummary = summariseBinary(Buffer.from(image.b64_json, 'base64'), inline);
    Object.assign(described, summary);
  }
  return described;
}
