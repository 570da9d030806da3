import { normaliseOpenaiBaseUrl } from '../connectors/service-urls';
import { scriptedStream, serverSentEvents, type ScriptedStreamOptions } from './scripted-stream';
import { ServiceMock, type FailureReply } from './service-mock';

export const OPENAI_PATHS = { chat: '/chat/completions', image: '/images/generations', embeddings: '/embeddings' } as const;
export type OpenaiOperation = keyof typeof OPENAI_PATHS;

/** A 1x1 transparent PNG, as base64: the smallest real image an image fixture can return. */
export const TINY_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const CREATED = 1_767_225_600;

/** Builds a chat completion in the OpenAI wire format. */
export function chatCompletion(model: string, content: string): Record<string, unknown> {
  return {
    id: 'chatcmpl-conveyor-fixture',
    object: 'chat.completion',
    created: CREATED,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 9, completion_tokens: content.split(/\s+/).length, total_tokens: 9 + content.split(/\s+/).length },
    system_fingerprint: 'fp_conveyor',
  };
}

/** Builds the chunks of a streamed chat completion: the role, one per piece, the finish reason and the usage. */
export function chatCompletionChunks(model: string, pieces: readonly string[]): Record<string, unknown>[] {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({ id: 'chatcmpl-conveyor-fixture', object: 'chat.completion.chunk', created: CREATED, model, system_fingerprint: 'fp_conveyor', choices, ...extra });
  return [
    chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]),
    ...pieces.map((piece) => chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }])),
    chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]),
    chunk([], { usage: { prompt_tokens: 9, completion_tokens: pieces.length, total_tokens: 9 + pieces.length } }),
  ];
}

export function imageGeneration(revisedPrompt: string): Record<string, unknown> {
  return { created: CREATED, data: [{ b64_json: TINY_PNG_BASE64, revised_prompt: revisedPrompt }] };
}

/** Builds an embeddings list with one vector of `dimensions` numbers per input. */
export function embeddingList(model: string, inputs: number, dimensions: number): Record<string, unknown> {
  const data = Array.from({ length: inputs }, (_, index) => ({ object: 'embedding', index, embedding: Array.from({ length: dimensions }, (_, i) => Number(((index + 1) * 0.01 + i * 0.001).toFixed(4))) }));
  return { object: 'list', data, model, usage: { prompt_tokens: 4 * inputs, total_tokens: 4 * inputs } };
}

/** Builds an error in the OpenAI format: `{ error: { message, type, param, code } }`. */
export function openaiError(message: string, type: string, code: string | null = null): Record<string, unknown> {
  return { error: { message, type, param: null, code } };
}

/** Fixtures of the OpenAI API at OPENAI_BASE_URL; every one requires the Bearer API key. */
export class OpenaiMock extends ServiceMock {
  constructor(baseUrl: string, apiKey: string) {
    super('openai', normaliseOpenaiBaseUrl(baseUrl), { authorization: `Bearer ${apiKey}` });
  }

  answersChat(model: string, content: string, times = 1): void {
    this.intercept('POST', OPENAI_PATHS.chat).times(times).reply(200, chatCompletion(model, content));
  }

  /** Streams the reply as server-sent events; `hang` leaves the stream open after the pieces. */
  streamsChat(model: string, pieces: readonly string[], options: ScriptedStreamOptions & { withoutDone?: boolean } = {}): void {
    const chunks = chatCompletionChunks(model, pieces);
    const sent = options.hang ? serverSentEvents(chunks.slice(0, 1 + pieces.length), null) : serverSentEvents(chunks, options.withoutDone ? null : '[DONE]');
    this.intercept('POST', OPENAI_PATHS.chat).reply(200, () => scriptedStream(sent, options), { 'content-type': 'text/event-stream' });
  }

  generatesImage(revisedPrompt: string): void {
    this.intercept('POST', OPENAI_PATHS.image).reply(200, imageGeneration(revisedPrompt));
  }

  embeds(model: string, inputs: number, dimensions: number): void {
    this.intercept('POST', OPENAI_PATHS.embeddings).reply(200, embeddingList(model, inputs, dimensions));
  }

  fails(operation: OpenaiOperation, reply: FailureReply, times = 1): void {
    this.failWith('POST', OPENAI_PATHS[operation], reply, times);
  }

  sendsMalformed(operation: OpenaiOperation, body: string): void {
    this.replyMalformed('POST', OPENAI_PATHS[operation], body);
  }
}
