import nock from 'nock';

import { readConnectorSettings } from '../connectors/connector-settings';
import type { Logger } from '../logger';
import { promptHistory, promptQueued, ComfyuiMock } from './comfyui-mock';
import { isLoopbackHost, NetworkGuard } from './network-guard';
import { ollamaEmbeddings, ollamaReply, ollamaStreamLines, OllamaMock, OLLAMA_PATHS } from './ollama-mock';
import { chatCompletion, chatCompletionChunks, embeddingList, imageGeneration, OpenaiMock, OPENAI_PATHS, TINY_PNG_BASE64 } from './openai-mock';
import { scriptedStream, serverSentEvents } from './scripted-stream';

/**
 * The service mocks of an out-of-process Phase 2 worker. The worker imports this module before
 * it creates any connector, and only when TEST_PHASE=2 and MOCK_MODE=true, so production never
 * loads nock. Every service replies to every request it documents with the suite's fixtures,
 * the real network is denied, and a request that no fixture matches is logged with its method
 * and URL (its job fails with the same method and URL).
 */
export function installStagingMocks(env: NodeJS.ProcessEnv, logger: Logger): NetworkGuard {
  if (env.TEST_PHASE !== '2' || env.MOCK_MODE !== 'true') {
    throw new Error(`The service mocks belong to Phase 2 only: TEST_PHASE=${env.TEST_PHASE ?? '(unset)'} and MOCK_MODE=${env.MOCK_MODE ?? '(unset)'}; set TEST_PHASE=2 and MOCK_MODE=true, or do not load staging-init.`);
  }

  const guard = new NetworkGuard();
  guard.start();
  nock.emitter.on('no match', (request: Request) => {
    const url = new URL(request.url);
    if (!isLoopbackHost(url.host)) {
      logger.error({ method: request.method, url: `${url.origin}${url.pathname}` }, 'request matched no service mock');
    }
  });

  const settings = readConnectorSettings(env);
  if (settings.openai.apiKey) installOpenai(new OpenaiMock(settings.openai.baseUrl, settings.openai.apiKey));
  installOllama(new OllamaMock(settings.ollama.host));
  installComfyui(new ComfyuiMock(settings.comfyui.baseUrl));
  return guard;
}

function installOpenai(mock: OpenaiMock): void {
  mock.intercept('POST', OPENAI_PATHS.chat, { persist: true }).reply(async (request) => {
    const body = (await request.json()) as { model?: string; stream?: boolean };
    const model = body.model ?? 'gpt-4o-mini';
    if (body.stream) {
      return [200, scriptedStream(serverSentEvents(chatCompletionChunks(model, ['Staging', ' reply']))), { 'content-type': 'text/event-stream' }];
    }
    return [200, chatCompletion(model, 'Staging reply')];
  });
  mock.intercept('POST', OPENAI_PATHS.image, { persist: true }).reply(200, imageGeneration('a staging image'));
  mock.intercept('POST', OPENAI_PATHS.embeddings, { persist: true }).reply(async (request) => {
    const body = (await request.json()) as { model?: string; input?: unknown };
    const inputs = Array.isArray(body.input) ? body.input.length : 1;
    return [200, embeddingList(body.model ?? 'text-embedding-3-small', inputs, 8)];
  });
}

function installOllama(mock: OllamaMock): void {
  for (const operation of ['generate', 'chat'] as const) {
    mock.intercept('POST', OLLAMA_PATHS[operation], { persist: true }).reply(async (request) => {
      const body = (await request.json()) as { model?: string; stream?: boolean };
      const model = body.model ?? 'llama3.2';
      if (body.stream) {
        return [200, scriptedStream(ollamaStreamLines(operation, model, ['Staging', ' reply'])), { 'content-type': 'application/x-ndjson' }];
      }
      return [200, ollamaReply(operation, model, 'Staging reply', true)];
    });
  }
  mock.intercept('POST', OLLAMA_PATHS.embeddings, { persist: true }).reply(async (request) => {
    const body = (await request.json()) as { model?: string; input?: unknown };
    const inputs = Array.isArray(body.input) ? body.input.length : 1;
    return [200, ollamaEmbeddings(body.model ?? 'nomic-embed-text', inputs, 8)];
  });
}

function installComfyui(mock: ComfyuiMock): void {
  let next = 0;
  mock.intercept('POST', '/prompt', { persist: true }).reply(() => {
    next += 1;
    return [200, promptQueued(`staging-prompt-${next}`, next)];
  });
  mock.intercept('GET', /^\/history\/[^/]+$/, { persist: true }).reply((request) => {
    const promptId = decodeURIComponent(new URL(request.url).pathname.split('/').pop() ?? '');
    return [200, promptHistory(promptId, [{ filename: `${promptId}.png`, subfolder: '', type: 'output' }])];
  });
  mock.intercept('GET', '/view', { persist: true }).query(true).reply(200, Buffer.from(TINY_PNG_BASE64, 'base64'), { 'content-type': 'image/png' });
}
