import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';

import { isLoopbackHost, NetworkGuard } from '../src/service-mocks/network-guard';
import { OllamaMock } from '../src/service-mocks/ollama-mock';
import { OpenaiMock } from '../src/service-mocks/openai-mock';

describe('loopback hosts', () => {
  for (const host of ['127.0.0.1:3000', '127.1.2.3:80', 'localhost:6379', 'LOCALHOST', '[::1]:8080', '::1']) {
    it(`allows ${host}`, () => assert.equal(isLoopbackHost(host), true));
  }
  for (const host of ['api.openai.com:443', '10.0.0.1:80', '0.0.0.0:80', 'localhost.example.com:80', '128.0.0.1:80']) {
    it(`denies ${host}`, () => assert.equal(isLoopbackHost(host), false));
  }
});

describe('network guard', () => {
  const guard = new NetworkGuard();
  let server: Server;
  let localUrl = '';

  before(async () => {
    server = createServer((_request, response) => response.end('local'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    localUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    guard.start();
  });

  after(async () => {
    guard.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('lets loopback requests through', async () => {
    assert.equal((await axios.get(localUrl)).data, 'local');
  });

  it('denies and records a request to any other host', async () => {
    guard.clearUnmatched();
    await assert.rejects(axios.post('http://example.test/v1/things', {}), /Disallowed net connect/);
    assert.deepEqual(guard.unmatched(), [{ method: 'POST', url: 'http://example.test/v1/things' }]);
  });

  it('keeps one service\'s fixtures when another is installed and removed', async () => {
    const openai = new OpenaiMock('https://api.openai.com/v1', 'sk-test-key');
    const ollama = new OllamaMock('ollama.test:11434');
    openai.answersChat('gpt-4o-mini', 'still here');
    ollama.answers('generate', 'llama3.2', 'gone');
    ollama.remove();

    const response = await axios.post('https://api.openai.com/v1/chat/completions', { model: 'gpt-4o-mini' }, { headers: { authorization: 'Bearer sk-test-key' } });
    assert.equal(response.data.choices[0].message.content, 'still here');
    assert.deepEqual(openai.pending(), []);
    assert.equal(openai.callsTo('POST', '/chat/completions').length, 1);
    openai.remove();
  });

  it('matches no fixture for a request without the API key', async () => {
    const openai = new OpenaiMock('https://api.openai.com/v1', 'sk-test-key');
    openai.answersChat('gpt-4o-mini', 'hello');
    guard.clearUnmatched();

    const response = await axios.post('https://api.openai.com/v1/chat/completions', {}, { validateStatus: () => true });
    assert.equal(response.status, 501);
    assert.deepEqual(guard.unmatched(), [{ method: 'POST', url: 'https://api.openai.com/v1/chat/completions' }]);
    assert.equal(openai.pending().length, 1);
    openai.remove();
  });
});
