import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { normaliseComfyuiBaseUrl, normaliseOllamaHost, normaliseOpenaiBaseUrl } from '../src/connectors/service-urls';

describe('OPENAI_BASE_URL normalisation', () => {
  const cases: [string, string][] = [
    ['https://api.openai.com', 'https://api.openai.com/v1'],
    ['https://api.openai.com/', 'https://api.openai.com/v1'],
    ['https://api.openai.com/v1', 'https://api.openai.com/v1'],
    ['https://api.openai.com/v1/', 'https://api.openai.com/v1'],
    ['  https://api.openai.com/v1  ', 'https://api.openai.com/v1'],
    ['http://127.0.0.1:8080/proxy/openai', 'http://127.0.0.1:8080/proxy/openai/v1'],
    ['http://127.0.0.1:8080/proxy/openai/v1//', 'http://127.0.0.1:8080/proxy/openai/v1'],
  ];
  for (const [input, expected] of cases) {
    it(`accepts ${JSON.stringify(input)}`, () => {
      assert.equal(normaliseOpenaiBaseUrl(input), expected);
    });
  }

  it('rejects a value that is not a URL', () => {
    assert.throws(() => normaliseOpenaiBaseUrl('api.openai.com/v1'), /^Error: Invalid OPENAI_BASE_URL="api.openai.com\/v1": write a URL/);
  });

  it('rejects another scheme', () => {
    assert.throws(() => normaliseOpenaiBaseUrl('ftp://api.openai.com'), /the scheme must be http or https/);
  });

  it('rejects credentials in the URL', () => {
    assert.throws(() => normaliseOpenaiBaseUrl('https://user:secret@api.openai.com'), /remove the credentials, query or fragment/);
  });
});

describe('OLLAMA_HOST normalisation', () => {
  const cases: [string, string][] = [
    ['127.0.0.1:11434', 'http://127.0.0.1:11434'],
    ['ollama.test', 'http://ollama.test:11434'],
    ['localhost:9000', 'http://localhost:9000'],
    ['[::1]:11434', 'http://[::1]:11434'],
    ['http://ollama.test:11434', 'http://ollama.test:11434'],
    ['http://ollama.test:11434/', 'http://ollama.test:11434'],
    ['http://ollama.test:11434/api', 'http://ollama.test:11434'],
    ['https://ollama.example.com', 'https://ollama.example.com'],
    ['http://gateway.test/ollama/', 'http://gateway.test/ollama'],
  ];
  for (const [input, expected] of cases) {
    it(`accepts ${JSON.stringify(input)}`, () => {
      assert.equal(normaliseOllamaHost(input), expected);
    });
  }

  it('rejects a value that is no host', () => {
    assert.throws(() => normaliseOllamaHost('::::'), /^Error: Invalid OLLAMA_HOST="::::"/);
  });
});

describe('COMFYUI_BASE_URL normalisation', () => {
  it('adds the scheme and default port to host:port forms', () => {
    assert.equal(normaliseComfyuiBaseUrl('comfyui.test'), 'http://comfyui.test:8188');
    assert.equal(normaliseComfyuiBaseUrl('127.0.0.1:8189'), 'http://127.0.0.1:8189');
  });

  it('keeps a full URL without its trailing slash', () => {
    assert.equal(normaliseComfyuiBaseUrl('http://comfyui.test:8188/'), 'http://comfyui.test:8188');
  });
});
