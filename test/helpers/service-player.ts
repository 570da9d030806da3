import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A 1x1 PNG, as ComfyUI's /view would send a saved image. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

export interface PlayerSecrets {
  /** The OpenAI API key the player requires as a bearer token. */
  apiKey: string;
  /** A session cookie the player sets on every reply, as OpenAI's CDN does. */
  cookie: string;
  /** A value the player echoes in its replies, standing for a secret a service leaks back. */
  echoed: string;
}

/**
 * An HTTP server on loopback that plays OpenAI (under /v1), Ollama (under /api) and ComfyUI
 * in their wire formats, with replies unlike the suite's hand-written fixtures. A test records
 * fixtures from it instead of the real services. It leaks the secrets it was given into headers
 * and bodies, so the test can check that none of them reaches a recording.
 */
export class ServicePlayer {
  readonly requests: { method: string; path: string }[] = [];
  private server: Server | null = null;
  private historyPolls = 0;

  constructor(private readonly secrets: PlayerSecrets) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      void this.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    const url = new URL(request.url ?? '/', 'http://player');
    this.requests.push({ method: request.method ?? 'GET', path: url.pathname });
    response.setHeader('set-cookie', `__cf_bm=${this.secrets.cookie}; path=/; HttpOnly`);

    if (url.pathname.startsWith('/v1/')) return this.playOpenai(request, url.pathname, body, response);
    if (url.pathname.startsWith('/api/')) return this.playOllama(url.pathname, body, response);
    return this.playComfyui(url, response);
  }

  private playOpenai(request: IncomingMessage, path: string, body: Record<string, unknown>, response: ServerResponse): void {
    if (request.headers.authorization !== `Bearer ${this.secrets.apiKey}`) {
      const shown = `${this.secrets.apiKey.slice(0, 8)}****${this.secrets.apiKey.slice(-4)}`;
      return json(response, 401, { error: { message: `Incorrect API key provided: ${shown}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    }
    response.setHeader('openai-organization', `org-${this.secrets.echoed}`);
    const model = String(body.model);

    if (path === '/v1/embeddings') {
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      const data = inputs.map((_, index) => ({ object: 'embedding', index, embedding: [0.011, -0.024, 0.037, 0.005, -0.019, 0.042] }));
      return json(response, 200, { object: 'list', data, model: 'text-embedding-3-small', usage: { prompt_tokens: 2, total_tokens: 2 } });
    }
    if (path !== '/v1/chat/completions') return json(response, 404, { error: { message: `Unknown path ${path}`, type: 'invalid_request_error' } });

    const base = { id: 'chatcmpl-played', created: 1_780_000_000, model: `${model}-2024-07-18`, system_fingerprint: 'fp_played', service_tier: 'default' };
    if (body.stream) {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      const pieces = ['Played', ' from', ' the', ' service'];
      const events = [
        { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] },
        ...pieces.map((piece) => ({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }] })),
        { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] },
      ];
      for (const event of events) response.write(`data: ${JSON.stringify(event)}\n\n`);
      response.end('data: [DONE]\n\n');
      return;
    }
    const content = `Hello there, friend. (The service saw ${this.secrets.echoed}.)`;
    return json(response, 200, {
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21, prompt_tokens_details: { cached_tokens: 0 } },
    });
  }

  private playOllama(path: string, body: Record<string, unknown>, response: ServerResponse): void {
    const model = String(body.model);
    const created = '2026-12-04T20:00:00.000000Z';
    const statistics = { done_reason: 'stop', total_duration: 501_000_000, load_duration: 12_000_000, prompt_eval_count: 14, prompt_eval_duration: 41_000_000, eval_count: 11, eval_duration: 402_000_000 };
    if (path === '/api/generate' && !body.stream) {
      return json(response, 200, { model, created_at: created, response: 'Sunlight scatters off air molecules, and blue scatters most.', done: true, context: [1, 2, 3], ...statistics });
    }
    if (path === '/api/chat' && body.stream) {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      for (const piece of ['Hello', ' from', ' a played', ' server']) response.write(`${JSON.stringify({ model, created_at: created, message: { role: 'assistant', content: piece }, done: false })}\n`);
      response.end(`${JSON.stringify({ model, created_at: created, message: { role: 'assistant', content: '' }, done: true, ...statistics })}\n`);
      return;
    }
    return json(response, 404, { error: `unknown route ${path}` });
  }

  private playComfyui(url: URL, response: ServerResponse): void {
    const promptId = 'f00dfeed-0000-4000-8000-000000000001';
    if (url.pathname === '/prompt') return json(response, 200, { prompt_id: promptId, number: 7, node_errors: {} });
    if (url.pathname === `/history/${promptId}`) {
      this.historyPolls += 1;
      if (this.historyPolls === 1) return json(response, 200, {});
      const images = [{ filename: 'ComfyUI_00042_.png', subfolder: '', type: 'output' }];
      return json(response, 200, { [promptId]: { prompt: [7, promptId, {}, {}, ['9']], outputs: { '9': { images } }, status: { status_str: 'success', completed: true, messages: [] }, meta: {} } });
    }
    if (url.pathname === '/view') {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(PNG);
      return;
    }
    return json(response, 404, { error: `unknown route ${url.pathname}` });
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
