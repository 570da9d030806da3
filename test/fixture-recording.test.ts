import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { PROJECT_ROOT } from '../src/phase/phase-profile';
import type { Recording } from '../support/recordings/recording';
import { ServicePlayer } from './helpers/service-player';

/**
 * Records the @recordable scenarios against a local server that plays the three services,
 * then replays the recordings with the player stopped: as they are, edited, and aged.
 */

const CUCUMBER = join(PROJECT_ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
const CHAT = 'an-openai-chat-job-completes-with-whatever-the-model-replies';
const EMBEDDINGS = 'an-openai-embeddings-job-returns-one-vector-per-text';

interface Run {
  status: number | null;
  output: string;
}

/** Builds a child's environment: this process's, without the variables that select a phase or recordings. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { TEST_PHASE: _phase, FIXTURE_RECORD: _record, FIXTURE_DIR: _dir, FIXTURE_STRICT: _strict, FIXTURE_MAX_AGE_DAYS: _age, OPENAI_API_KEY: _key, ...inherited } = process.env;
  return { ...inherited, ...extra };
}

/** Runs Node.js with `args` asynchronously, because the player in this process must keep serving requests. */
function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

function record(service: string, env: Record<string, string>): Promise<Run> {
  return run(['--require', 'tsx/cjs', join('tools', 'record-fixtures.ts'), service, '--format', 'summary'], env);
}

/** Runs Phase 2 scenarios tagged @recordable, or the one named `name`, with the recordings of `dir`. */
function replay(dir: string, env: Record<string, string> = {}, name?: string): Promise<Run> {
  const only = name ? ['--name', name] : [];
  return run([CUCUMBER, '-p', 'phase2', '--tags', '@recordable', '--format', 'progress', ...only], { TEST_PHASE: '2', FIXTURE_DIR: dir, ...env });
}

function readJson(path: string): Recording {
  return JSON.parse(readFileSync(path, 'utf8')) as Recording;
}

/** Copies the recordings of `dir` to `copy` and edits the recording `file` there. */
function editedCopy(dir: string, copy: string, file: string, edit: (recording: Recording) => void): string {
  cpSync(dir, copy, { recursive: true });
  editRecording(join(copy, file), edit);
  return copy;
}

function editRecording(path: string, edit: (recording: Recording) => void): void {
  const recording = readJson(path);
  edit(recording);
  writeFileSync(path, JSON.stringify(recording, null, 2));
}

describe('fixture recording', () => {
  const secrets = {
    apiKey: `sk-rec-${randomBytes(12).toString('hex')}`,
    cookie: `cookie-${randomBytes(8).toString('hex')}`,
    echoed: `dash0-${randomBytes(8).toString('hex')}`,
  };
  const player = new ServicePlayer(secrets);
  const root = mkdtempSync(join(tmpdir(), 'conveyor-fixtures-'));
  const dir = join(root, 'recordings');
  let credentials: Record<string, string> = {};

  before(async () => {
    await player.start();
    credentials = {
      OPENAI_BASE_URL: `${player.url}/v1`,
      OPENAI_API_KEY: secrets.apiKey,
      OLLAMA_HOST: player.url,
      COMFYUI_BASE_URL: player.url,
      DASH0_AUTH_TOKEN: secrets.echoed,
      FIXTURE_DIR: dir,
    };
  });

  after(async () => {
    await player.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses to record without credentials', async () => {
    const { status, output } = await record('openai', { FIXTURE_DIR: dir });

    assert.equal(status, 2);
    assert.match(output, /Not recording openai:\n {2}- OPENAI_API_KEY is not set/);
    assert.equal(existsSync(dir), false, 'nothing was written');
  });

  it('rejects an unknown service', async () => {
    const { status, output } = await record('anthropic', credentials);

    assert.equal(status, 2);
    assert.match(output, /Unknown service "anthropic": record one of openai, ollama, comfyui/);
  });

  it('records each scenario of each service', async () => {
    for (const service of ['openai', 'ollama', 'comfyui']) {
      const { status, output } = await record(service, credentials);
      assert.equal(status, 0, output);
    }

    assert.deepEqual(readdirSync(join(dir, 'openai')).sort(), [`${CHAT}.json`, 'an-openai-chat-job-streams-whatever-the-model-replies.json', `${EMBEDDINGS}.json`]);
    assert.deepEqual(readdirSync(join(dir, 'ollama')).sort(), ['an-ollama-chat-job-streams-whatever-the-assistant-says.json', 'an-ollama-generate-job-completes-with-whatever-the-model-responds.json']);
    assert.deepEqual(readdirSync(join(dir, 'comfyui')), ['a-comfyui-workflow-job-lists-the-image-it-saved.json']);

    const chat = readJson(join(dir, 'openai', `${CHAT}.json`));
    assert.equal(chat.scenario, 'An OpenAI chat job completes with whatever the model replies');
    assert.equal(chat.feature, 'features/phase2/recordable.feature');
    assert.ok(Date.now() - Date.parse(chat.recordedAt) < 10 * 60_000, `recordedAt ${chat.recordedAt} is the time of recording`);
    assert.equal(chat.exchanges.length, 1);
    assert.deepEqual(chat.exchanges[0].request.body, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello in three words' }] });
    assert.match(JSON.stringify(chat.exchanges[0].response.body), /Hello there, friend/, 'the reply is the service\'s, not a hand-written fixture\'s');

    const render = readJson(join(dir, 'comfyui', 'a-comfyui-workflow-job-lists-the-image-it-saved.json'));
    assert.deepEqual(render.exchanges.map((exchange) => `${exchange.request.method} ${exchange.request.path}`), ['POST /prompt', 'GET /history/f00dfeed-0000-4000-8000-000000000001', 'GET /history/f00dfeed-0000-4000-8000-000000000001', 'GET /view']);
    assert.ok(render.exchanges[3].response.base64, 'the image is kept as base64');
  });

  it('scrubs every secret before writing', () => {
    for (const service of ['openai', 'ollama', 'comfyui']) {
      for (const file of readdirSync(join(dir, service))) {
        const text = readFileSync(join(dir, service, file), 'utf8');
        for (const [name, secret] of Object.entries(secrets)) assert.ok(!text.includes(secret), `${service}/${file} contains the ${name}`);
        assert.ok(!/set-cookie|authorization|openai-organization/i.test(text), `${service}/${file} keeps a credential header`);
      }
    }
    const chat = readFileSync(join(dir, 'openai', `${CHAT}.json`), 'utf8');
    assert.match(chat, /The service saw \[scrubbed\]/, 'the secret the service echoed is replaced');
  });

  it('replays the recordings without the service', async () => {
    await player.stop();
    const requestsBefore = player.requests.length;

    const { status, output } = await replay(dir);

    assert.equal(status, 0, output);
    assert.match(output, /6 scenarios \(6 passed\)/);
    assert.equal(player.requests.length, requestsBefore);
  });

  it('fails a changed request with a diff', async () => {
    const edited = editedCopy(dir, join(root, 'request-drift'), join('openai', `${CHAT}.json`), (recording) => {
      delete (recording.exchanges[0].request.body as Record<string, unknown>).model;
    });

    const { status, output } = await replay(edited, {}, 'An OpenAI chat job completes');

    assert.equal(status, 1);
    assert.match(output, /the connector sent POST \/chat\/completions, which no exchange of the recording matches; against exchange 1:/);
    assert.match(output, /--- recorded in .*an-openai-chat-job-completes-with-whatever-the-model-replies\.json\n\s+\+\+\+ sent by the connector\n\s+\+ body\.model: "gpt-4o-mini"/);
  });

  it('fails a response without a field the connector needs', async () => {
    const edited = editedCopy(dir, join(root, 'response-drift'), join('openai', `${EMBEDDINGS}.json`), (recording) => {
      delete (recording.exchanges[0].response.body as Record<string, unknown>).data;
    });

    const { status, output } = await replay(edited, {}, 'An OpenAI embeddings job');

    assert.equal(status, 1);
    assert.match(output, /returned a malformed response: "data" is not an array of embeddings/);
    assert.match(output, /lacks fields that the scenario's hand-written fixtures have:\n\s+exchange 1 \(POST \/embeddings\), response:\n\s+- body\.data/);
  });

  it('stops the run on an invalid setting', async () => {
    const { status, output } = await replay(dir, { FIXTURE_STRICT: 'yes' });

    assert.equal(status, 1);
    assert.equal(output.match(/Invalid FIXTURE_STRICT="yes": use true or false\./g)?.length, 1, output);
  });

  it('warns about an old recording', async () => {
    const aged = editedCopy(dir, join(root, 'aged'), join('openai', `${CHAT}.json`), (recording) => {
      recording.recordedAt = new Date(Date.now() - 40 * 86_400_000).toISOString();
    });

    const warned = await replay(aged, { FIXTURE_MAX_AGE_DAYS: '30' }, 'An OpenAI chat job completes');
    assert.equal(warned.status, 0, warned.output);
    assert.match(warned.output, /1 recording is past its age:\n {2}- The recording .*an-openai-chat-job-completes-with-whatever-the-model-replies\.json is 40 days old, past the limit of 30 days \(FIXTURE_MAX_AGE_DAYS\): re-record it with "npm run fixtures:record -- openai"/);

    const failed = await replay(aged, { FIXTURE_MAX_AGE_DAYS: '30', FIXTURE_STRICT: 'true' }, 'An OpenAI chat job completes');
    assert.equal(failed.status, 1);
    assert.match(failed.output, /is 40 days old, past the limit of 30 days .* FIXTURE_STRICT=true fails the scenario until then/);

    const recent = await replay(aged, { FIXTURE_MAX_AGE_DAYS: '60', FIXTURE_STRICT: 'true' }, 'An OpenAI chat job completes');
    assert.equal(recent.status, 0, recent.output);
    assert.doesNotMatch(recent.output, /past its age/);
  });
});
