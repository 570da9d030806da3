import { Given, Then } from '@cucumber/cucumber';
import { expect } from 'chai';

import { chatCompletion, openaiError } from '../src/service-mocks/openai-mock';
import { eventually } from '../support/eventually';
import { OUTPUT_IMAGE, PROMPT_ID, STANDARD, type ServiceName } from '../support/service-scenarios';
import type { JobWorld } from '../worlds/job-world';

const DISPLAY: Record<ServiceName, string> = { openai: 'OpenAI', ollama: 'Ollama', comfyui: 'ComfyUI' };

// OpenAI

Given('the OpenAI service answers chat requests for {string} with {string}', function (this: JobWorld, model: string, reply: string) {
  this.requireServices().openai.answersChat(model, reply);
});

Given('the OpenAI service (then )streams the chat reply {string} for {string}', function (this: JobWorld, pieces: string, model: string) {
  this.requireServices().openai.streamsChat(model, pieces.split('|'), { intervalMs: 5 });
});

Given('the OpenAI service streams a chat reply that never finishes', function (this: JobWorld) {
  this.requireServices().openai.streamsChat('gpt-4o-mini', ['Once', ' upon'], { hang: true });
});

Given('the OpenAI service stops its chat stream before the end', function (this: JobWorld) {
  this.requireServices().openai.streamsChat('gpt-4o-mini', ['Once', ' upon'], { withoutDone: true });
});

Given('the OpenAI service generates an image', function (this: JobWorld) {
  this.requireServices().openai.generatesImage('A lighthouse at dusk, painted in oils');
});

Given('the OpenAI service returns embeddings of {int} dimensions for {int} texts', function (this: JobWorld, dimensions: number, texts: number) {
  this.requireServices().openai.embeds('text-embedding-3-small', texts, dimensions);
});

Given('the OpenAI service rate-limits the first chat request for {int} second(s), then answers normally', function (this: JobWorld, seconds: number) {
  const services = this.requireServices();
  services.openai.fails('chat', { ...STANDARD.openai.errorReply(429), headers: { 'retry-after': String(seconds) } });
  services.openai.answersChat('gpt-4o-mini', 'Hello');
});

Given('the OpenAI service rejects the API key, echoing it in full', function (this: JobWorld) {
  const apiKey = this.environment!.connectorSettings.openai.apiKey;
  this.requireServices().openai.fails('chat', { status: 401, body: openaiError(`Incorrect API key provided: ${apiKey}.`, 'invalid_request_error', 'invalid_api_key') });
});

Given('the OpenAI workers use the base URL {string}', async function (this: JobWorld, baseUrl: string) {
  const settings = this.environment!.connectorSettings;
  await this.stopAllWorkers();
  await this.startWorkers([{ type: 'openai', count: 1 }], undefined, {}, { openai: { ...settings.openai, baseUrl } });
});

// Ollama

Given('the Ollama server answers {word} requests for {string} with {string}', function (this: JobWorld, operation: 'generate' | 'chat', model: string, reply: string) {
  this.requireServices().ollama.answers(operation, model, reply);
});

Given('the Ollama server streams the {word} reply {string} for {string}', function (this: JobWorld, operation: 'generate' | 'chat', pieces: string, model: string) {
  this.requireServices().ollama.streams(operation, model, pieces.split('|'), { intervalMs: 5 });
});

Given('the Ollama server streams a {word} reply that never finishes', function (this: JobWorld, operation: 'generate' | 'chat') {
  this.requireServices().ollama.streams(operation, 'llama3.2', ['The', ' sky'], { hang: true });
});

Given('the Ollama server returns embeddings of {int} dimensions for {int} texts', function (this: JobWorld, dimensions: number, texts: number) {
  this.requireServices().ollama.embeds('nomic-embed-text', texts, dimensions);
});

Given('the local model server is down', function (this: JobWorld) {
  this.requireServices().ollama.isDown('generate', 3);
});

Given('the model {string} is not installed on the local model server', function (this: JobWorld, model: string) {
  this.requireServices().ollama.lacksModel('generate', model);
});

Given('the Ollama workers use the host {string}', async function (this: JobWorld, host: string) {
  await this.stopAllWorkers();
  await this.startWorkers([{ type: 'ollama', count: 1 }], undefined, {}, { ollama: { host } });
});

// ComfyUI

Given('{int} ComfyUI worker(s) is/are running', async function (this: JobWorld, count: number) {
  await this.startWorkers([{ type: 'comfyui', count }]);
});

Given('the ComfyUI server runs the workflow for {int} polls and saves one image', function (this: JobWorld, polls: number) {
  const comfyui = this.requireServices().comfyui;
  comfyui.queuesPrompt(PROMPT_ID);
  comfyui.finishesPrompt(PROMPT_ID, [OUTPUT_IMAGE], polls);
  comfyui.servesImage(OUTPUT_IMAGE);
});

Given('the ComfyUI server keeps the workflow running', function (this: JobWorld) {
  const comfyui = this.requireServices().comfyui;
  comfyui.queuesPrompt(PROMPT_ID);
  comfyui.keepsRunning(PROMPT_ID);
  comfyui.dropsPrompt();
});

Given('the ComfyUI server fails the workflow in its {string} node with {string}', function (this: JobWorld, nodeType: string, message: string) {
  const comfyui = this.requireServices().comfyui;
  comfyui.queuesPrompt(PROMPT_ID);
  comfyui.failsPrompt(PROMPT_ID, nodeType, message);
});

// Any service

Given('{service} replies to the first request with status {int}, then answers normally', function (this: JobWorld, service: ServiceName, status: number) {
  const standard = STANDARD[service];
  this.requireServices()[service].failWith(standard.firstRequest.method, standard.firstRequest.path, standard.errorReply(status));
  standard.answerNormally(this.requireServices());
});

Given('{service} replies to the first request with status {int}', function (this: JobWorld, service: ServiceName, status: number) {
  const standard = STANDARD[service];
  this.requireServices()[service].failWith(standard.firstRequest.method, standard.firstRequest.path, standard.errorReply(status));
});

Given('{service} refuses the connection for the first request, then answers normally', function (this: JobWorld, service: ServiceName) {
  const standard = STANDARD[service];
  this.requireServices()[service].refuseConnection(standard.firstRequest.method, standard.firstRequest.path);
  standard.answerNormally(this.requireServices());
});

Given('{service} answers the first request after {int} second(s), then answers normally', function (this: JobWorld, service: ServiceName, seconds: number) {
  const standard = STANDARD[service];
  this.requireServices()[service].intercept(standard.firstRequest.method, standard.firstRequest.path).delay(seconds * 1000).reply(200, chatCompletion('gpt-4o-mini', 'too late'));
  standard.answerNormally(this.requireServices());
});

Given('{service} answers the first request with a body that is not JSON', function (this: JobWorld, service: ServiceName) {
  const standard = STANDARD[service];
  this.requireServices()[service].replyMalformed(standard.firstRequest.method, standard.firstRequest.path, '<html><body>502 Bad Gateway</body></html>');
});

Given('the {service} workers give up on a reply after {int} ms', async function (this: JobWorld, service: ServiceName, timeoutMs: number) {
  await this.stopAllWorkers();
  await this.startWorkers([{ type: service, count: 1 }], undefined, {}, { requestTimeoutMs: timeoutMs });
});

Given('no fixture answers {service}', function (this: JobWorld, service: ServiceName) {
  expect(this.requireServices()[service].pending()).to.deep.equal([]);
});

Then('{service} received {int} request(s) at {string}', function (this: JobWorld, service: ServiceName, count: number, path: string) {
  const [method, endpoint] = path.includes(' ') ? path.split(' ') : ['POST', path];
  expect(this.requireServices()[service].callsTo(method, endpoint), `${DISPLAY[service]} calls to ${method} ${endpoint}`).to.have.length(count);
});

Then('{service} received the first request {int} time(s)', function (this: JobWorld, service: ServiceName, count: number) {
  const { method, path } = STANDARD[service].firstRequest;
  expect(this.requireServices()[service].callsTo(method, path), `${DISPLAY[service]} calls to ${method} ${path}`).to.have.length(count);
});

Then('the OpenAI service received {int} chat completion request(s) for {string} with the message {string}', function (this: JobWorld, count: number, model: string, message: string) {
  const calls = this.requireServices().openai.callsTo('POST', '/chat/completions');
  expect(calls).to.have.length(count);
  for (const call of calls) {
    expect(call.body?.model).to.equal(model);
    expect(call.body?.messages).to.deep.equal([{ role: 'user', content: message }]);
  }
});

Then('the OpenAI service was asked to stream the chat completion', function (this: JobWorld) {
  const [call] = this.requireServices().openai.callsTo('POST', '/chat/completions');
  expect(call.body?.stream).to.equal(true);
});

Then('the OpenAI service received {int} image generation request(s) with the prompt {string}', function (this: JobWorld, count: number, prompt: string) {
  const calls = this.requireServices().openai.callsTo('POST', '/images/generations');
  expect(calls).to.have.length(count);
  expect(calls.map((call) => call.body?.prompt)).to.deep.equal(Array(count).fill(prompt));
});

Then('the Ollama server received {int} {word} request(s) for {string} with {string}', function (this: JobWorld, count: number, operation: string, model: string, text: string) {
  const calls = this.requireServices().ollama.callsTo('POST', `/api/${operation}`);
  expect(calls).to.have.length(count);
  for (const call of calls) {
    expect(call.body?.model).to.equal(model);
    if (operation === 'chat') expect(call.body?.messages).to.deep.equal([{ role: 'user', content: text }]);
    else expect(call.body?.prompt).to.equal(text);
  }
});

Then('the ComfyUI server received the workflow with this worker\'s client id', function (this: JobWorld) {
  const [call] = this.requireServices().comfyui.callsTo('POST', '/prompt');
  expect(call.body?.prompt).to.have.property('9');
  expect(call.body?.client_id).to.be.a('string').and.match(/^[0-9a-f-]{36}$/);
});

Then('the ComfyUI server was asked to delete and interrupt the prompt', async function (this: JobWorld) {
  const comfyui = this.requireServices().comfyui;
  await eventually(() => {
    expect(comfyui.callsTo('POST', '/queue').map((call) => call.body)).to.deep.equal([{ delete: [PROMPT_ID] }]);
    expect(comfyui.callsTo('POST', '/interrupt').map((call) => call.body)).to.deep.equal([{ prompt_id: PROMPT_ID }]);
  });
});

Then('the ComfyUI server was polled for the prompt {int} times', function (this: JobWorld, polls: number) {
  expect(this.requireServices().comfyui.callsTo('GET', `/history/${PROMPT_ID}`)).to.have.length(polls);
});

Then('the request {string} was reported as unmocked', function (this: JobWorld, request: string) {
  const [method, url] = request.split(' ');
  expect(this.requireServices().acknowledgeUnmatched(method, url), `unmatched: ${JSON.stringify(this.requireServices().unmatched())}`).to.be.greaterThan(0);
});
