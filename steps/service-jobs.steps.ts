import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';

import type { JobView } from '../src/api/job-view';
import { eventually } from '../support/eventually';
import { jobHistory } from '../support/job-history';
import { comfyuiJob, ollamaEmbeddingsJob, ollamaJob, openaiChatJob, openaiEmbeddingsJob, openaiImageJob } from '../support/service-jobs';
import { STANDARD, type ServiceName } from '../support/service-scenarios';
import type { JobWorld } from '../worlds/job-world';

When('a client submits an OpenAI chat job {string} for {string} saying {string}', async function (this: JobWorld, name: string, model: string, message: string) {
  await this.submit(name, openaiChatJob(model, message));
});

When('a client submits a streamed OpenAI chat job {string} for {string} saying {string}', async function (this: JobWorld, name: string, model: string, message: string) {
  await this.submit(name, openaiChatJob(model, message, true));
});

When('a client submits an OpenAI image job {string} for {string} with the prompt {string}', async function (this: JobWorld, name: string, model: string, prompt: string) {
  await this.submit(name, openaiImageJob(model, prompt));
});

When('a client submits an OpenAI embeddings job {string} for the texts {string} and {string}', async function (this: JobWorld, name: string, first: string, second: string) {
  await this.submit(name, openaiEmbeddingsJob([first, second]));
});

When('a client submits an Ollama {word} job {string} for {string} saying {string}', async function (this: JobWorld, operation: 'generate' | 'chat', name: string, model: string, text: string) {
  await this.submit(name, ollamaJob(operation, model, text));
});

When('a client submits a streamed Ollama {word} job {string} for {string} saying {string}', async function (this: JobWorld, operation: 'generate' | 'chat', name: string, model: string, text: string) {
  await this.submit(name, ollamaJob(operation, model, text, true));
});

When('a client submits an Ollama embeddings job {string} for the texts {string} and {string}', async function (this: JobWorld, name: string, first: string, second: string) {
  await this.submit(name, ollamaEmbeddingsJob([first, second]));
});

When('a client submits a ComfyUI job {string} for the workflow', async function (this: JobWorld, name: string) {
  await this.submit(name, comfyuiJob());
});

When('a client submits a ComfyUI job {string} for the workflow that asks for its outputs inline', async function (this: JobWorld, name: string) {
  await this.submit(name, comfyuiJob(true));
});

When('a client submits a/an {service} job {string}', async function (this: JobWorld, service: ServiceName, name: string) {
  expect((await this.submit(name, STANDARD[service].job())).status).to.equal(201);
});

When('a client submits a job {string} for {service}', async function (this: JobWorld, name: string, service: ServiceName) {
  expect((await this.submit(name, STANDARD[service].job())).status).to.equal(201);
});

When('a client submits a/an {service} job {string} with at most {int} attempt(s)', async function (this: JobWorld, service: ServiceName, name: string, attempts: number) {
  expect((await this.submit(name, { ...STANDARD[service].job(), max_attempts: attempts })).status).to.equal(201);
});

Given('job {string} has started streaming', async function (this: JobWorld, name: string) {
  await eventually(async () => expect((await this.job(name)).progress_message).to.match(/^streaming: /));
});

Given('job {string} is waiting for the outputs of its workflow', async function (this: JobWorld, name: string) {
  await eventually(async () => expect((await this.job(name)).progress_message).to.match(/^waiting for the outputs of prompt /));
});

Then('job {string} completes with the reply {string}', async function (this: JobWorld, name: string, reply: string) {
  const result = (await this.jobWithStatus(name, 'completed')).result as { message?: { content: string }; response?: string };
  expect(result.message?.content ?? result.response).to.equal(reply);
});

Then('job {string} was run by the {word} connector', async function (this: JobWorld, name: string, connector: string) {
  const job = await this.job(name);
  expect(job.connector).to.equal(connector);
  expect(job.worker_id).to.match(new RegExp(`^${connector}-`));
});

Then('job {string} reported streaming progress before it completed', async function (this: JobWorld, name: string) {
  const events = await jobHistory(this.requireQueue(), this.jobId(name));
  const streaming = events.findIndex((event) => event.type === 'progress' && /^streaming: /.test(String(event.data.message)));
  const completion = events.findIndex((event) => event.type === 'status' && event.data.status === 'completed');
  expect(streaming, JSON.stringify(events)).to.be.greaterThan(-1);
  expect(streaming).to.be.lessThan(completion);
});

Then('job {string} reported progress while it waited for the outputs', async function (this: JobWorld, name: string) {
  const events = await jobHistory(this.requireQueue(), this.jobId(name));
  const messages = events.filter((event) => event.type === 'progress').map((event) => String(event.data.message));
  expect(messages.filter((message) => message.startsWith('waiting for the outputs of prompt ')), JSON.stringify(messages)).to.have.length.above(0);
  expect(messages.at(-1)).to.equal('fetching output 1 of 1');
});

Then('job {string} completes with {int} image(s) described by size and digest', async function (this: JobWorld, name: string, count: number) {
  const result = (await this.jobWithStatus(name, 'completed')).result as { images: Record<string, unknown>[] };
  expect(result.images).to.have.length(count);
  for (const image of result.images) {
    expect(image.size_bytes).to.be.a('number').above(0);
    expect(image.sha256).to.match(/^[0-9a-f]{64}$/);
    expect(image).to.not.have.property('data_base64');
  }
});

Then('job {string} completes with {int} embeddings of {int} dimensions', async function (this: JobWorld, name: string, count: number, dimensions: number) {
  const result = (await this.jobWithStatus(name, 'completed')).result as { embeddings: number[][] };
  expect(result.embeddings).to.have.length(count);
  for (const vector of result.embeddings) expect(vector).to.have.length(dimensions);
});

Then('job {string} completes with the file {string} of output node {string}', async function (this: JobWorld, name: string, filename: string, node: string) {
  const result = (await this.jobWithStatus(name, 'completed')).result as { files: Record<string, unknown>[] };
  expect(result.files).to.have.length(1);
  expect(result.files[0]).to.include({ filename, node_id: node, output: 'images', subfolder: '', type: 'output', content_type: 'image/png' });
  expect(result.files[0].size_bytes).to.be.a('number').above(0);
});

Then('the file of job {string} is carried inline', async function (this: JobWorld, name: string) {
  const [file] = ((await this.job(name)).result as { files: Record<string, unknown>[] }).files;
  expect(Buffer.from(String(file.data_base64), 'base64').length).to.equal(file.size_bytes);
});

Then('the file of job {string} is not carried inline', async function (this: JobWorld, name: string) {
  const [file] = ((await this.job(name)).result as { files: Record<string, unknown>[] }).files;
  expect(file).to.not.have.property('data_base64');
});

Then('job {string} fails on attempt {int} with status {int} from {service}', async function (this: JobWorld, name: string, attempt: number, status: number, service: ServiceName) {
  const job = await failed(this, name);
  expect(job.attempt).to.equal(attempt);
  expect(job.error).to.include({ service, status });
  expect(job.error?.message).to.match(new RegExp(`^${service} (GET|POST) \\S+ returned ${status}: .+`));
});

Then('job {string} fails on attempt {int} with an error saying the {service} response was malformed', async function (this: JobWorld, name: string, attempt: number, service: ServiceName) {
  const job = await failed(this, name);
  expect(job.attempt).to.equal(attempt);
  expect(job.error).to.include({ service, kind: 'malformed_response', retryable: false });
  expect(job.error?.message).to.contain('returned a malformed response: the body is not JSON');
});

Then('job {string} fails with the error {string}', async function (this: JobWorld, name: string, message: string) {
  expect((await failed(this, name)).error?.message).to.equal(message);
});

Then('job {string} fails with an error naming {string}', async function (this: JobWorld, name: string, request: string) {
  expect((await failed(this, name)).error?.message).to.contain(request);
});

Then('job {string} fails with a retryable {string} error after {int} attempts', async function (this: JobWorld, name: string, kind: string, attempts: number) {
  const job = await failed(this, name);
  expect(job.attempt).to.equal(attempts);
  expect(job.error).to.include({ kind, retryable: true });
});

Then('the first attempt of job {string} failed with a retryable {string} error', async function (this: JobWorld, name: string, kind: string) {
  const retry = (await jobHistory(this.requireQueue(), this.jobId(name))).find((event) => event.type === 'status' && event.data.status === 'pending' && event.data.attempt === 1);
  expect(retry?.data.error, 'no retry was scheduled after attempt 1').to.include({ kind, retryable: true });
});

Then('the retry of job {string} was scheduled at least {int} second(s) after its first attempt failed', async function (this: JobWorld, name: string, seconds: number) {
  const retry = (await jobHistory(this.requireQueue(), this.jobId(name))).find((event) => event.type === 'status' && event.data.status === 'pending' && event.data.attempt === 1);
  // The event time comes from the Redis clock and run_at from the worker's, a few ms apart.
  expect(Number(retry?.data.run_at) - retry!.at).to.be.at.least(seconds * 1000 - 50);
});

async function failed(world: JobWorld, name: string): Promise<JobView> {
  const job = await eventually(async () => {
    const current = await world.job(name);
    expect(current.status).to.equal('failed');
    return current;
  });
  world.checkedFailures.add(job.id);
  return job;
}
