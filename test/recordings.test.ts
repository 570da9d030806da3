import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';

import { NetworkGuard } from '../src/service-mocks/network-guard';
import { OllamaMock } from '../src/service-mocks/ollama-mock';
import { credentialProblems } from '../tools/record-fixtures';
import { ageInDays, maxAgeDays, newRecording, readRecording, recordingPath, scenarioSlug, writeRecording, type Recording } from '../support/recordings/recording';
import { Replay } from '../support/recordings/replay';
import { requestDifferences, sameRequest } from '../support/recordings/request-diff';
import { readFixtureSettings } from '../support/recordings/scenario-fixtures';
import { requestScrubNotes, SCRUBBED, scrubRecording, secretsOf } from '../support/recordings/scrub';
import { missingFields } from '../support/recordings/shape-diff';

const KEY = 'sk-proj-Zq81mNcX0pLkT3BlbkFJ';

function recordingWith(exchange: Recording['exchanges'][number]): Recording {
  return { ...newRecording('openai', 'A scenario', 'features/phase2/x.feature'), exchanges: [exchange] };
}

describe('scenario slug', () => {
  it('joins lower-case words with hyphens', () => {
    assert.equal(scenarioSlug("An OpenAI chat job completes with the model's reply"), 'an-openai-chat-job-completes-with-the-model-s-reply');
  });

  it('drops accents and edge punctuation', () => {
    assert.equal(scenarioSlug('  Café: résumé!  '), 'cafe-resume');
  });

  it('names a scenario of symbols only', () => {
    assert.equal(scenarioSlug('???'), 'unnamed-scenario');
  });

  it('places a recording under its service', () => {
    assert.equal(recordingPath('/fixtures', 'ollama', 'A chat job'), join('/fixtures', 'ollama', 'a-chat-job.json'));
  });
});

describe('recording files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conveyor-recordings-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what was written', () => {
    const path = join(dir, 'openai', 'written.json');
    const recording = recordingWith({ request: { method: 'POST', path: '/embeddings', query: {}, headers: {}, body: { input: ['a'] } }, response: { status: 200, headers: {}, body: { data: [] } } });
    writeRecording(path, recording);
    assert.deepEqual(readRecording(path), recording);
  });

  it('returns null for a missing file', () => {
    assert.equal(readRecording(join(dir, 'absent.json')), null);
  });

  it('rejects a file that is not JSON', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"format": 1,');
    assert.throws(() => readRecording(path), /is not valid JSON .*fix it or re-record it/);
  });

  it('rejects another format', () => {
    const path = join(dir, 'future.json');
    writeFileSync(path, JSON.stringify({ ...newRecording('openai', 'x', 'y'), format: 2 }));
    assert.throws(() => readRecording(path), /its format is 2, and this version reads format 1/);
  });

  it('rejects a recording without its date', () => {
    const path = join(dir, 'undated.json');
    writeFileSync(path, JSON.stringify({ ...newRecording('openai', 'x', 'y'), recordedAt: 'yesterday' }));
    assert.throws(() => readRecording(path), /"recordedAt" is "yesterday", not an ISO 8601 time/);
  });

  it('rejects an exchange without a status', () => {
    const path = join(dir, 'statusless.json');
    writeFileSync(path, JSON.stringify({ ...newRecording('openai', 'x', 'y'), exchanges: [{ request: { method: 'GET', path: '/' }, response: {} }] }));
    assert.throws(() => readRecording(path), /exchange 1 lacks its request method, path or response status/);
  });
});

describe('recording age', () => {
  it('counts whole days', () => {
    const recording = { ...newRecording('openai', 'x', 'y'), recordedAt: '2026-11-01T12:00:00.000Z' };
    assert.equal(ageInDays(recording, Date.parse('2026-12-01T11:00:00.000Z')), 29);
    assert.equal(ageInDays(recording, Date.parse('2026-12-01T12:00:00.000Z')), 30);
  });

  it('defaults the limit to 30 days', () => {
    assert.equal(maxAgeDays({}), 30);
    assert.equal(maxAgeDays({ FIXTURE_MAX_AGE_DAYS: '7' }), 7);
  });

  for (const value of ['0', '-3', '1.5', 'week']) {
    it(`rejects FIXTURE_MAX_AGE_DAYS=${value}`, () => {
      assert.throws(() => maxAgeDays({ FIXTURE_MAX_AGE_DAYS: value }), /Invalid FIXTURE_MAX_AGE_DAYS=.*whole number of days, 1 or more/);
    });
  }
});

describe('fixture settings', () => {
  it('replay by default, warning about old recordings', () => {
    const settings = readFixtureSettings({});
    assert.equal(settings.recording, null);
    assert.equal(settings.strict, false);
    assert.match(settings.dir, /features[/\\]phase2[/\\]recordings$/);
  });

  it('reject an unknown service to record', () => {
    assert.throws(() => readFixtureSettings({ FIXTURE_RECORD: 'anthropic' }), /Invalid FIXTURE_RECORD="anthropic": name one service, openai, ollama, comfyui/);
  });

  it('reject an unclear strict mode', () => {
    assert.throws(() => readFixtureSettings({ FIXTURE_STRICT: 'yes' }), /Invalid FIXTURE_STRICT="yes": use true or false/);
  });
});

describe('recording credentials', () => {
  it('require the OpenAI key', () => {
    assert.deepEqual(credentialProblems('openai', {}), ['OPENAI_API_KEY is not set: set it to the API key of the OpenAI account to record with.']);
  });

  it('reject the Phase 2 placeholder key', () => {
    assert.match(credentialProblems('openai', { OPENAI_API_KEY: 'sk-phase2-placeholder-not-a-secret' })[0], /placeholder of \.env\.phase2/);
  });

  it('require the Ollama and ComfyUI servers', () => {
    assert.match(credentialProblems('ollama', {})[0], /^OLLAMA_HOST is not set/);
    assert.match(credentialProblems('comfyui', {})[0], /^COMFYUI_BASE_URL is not set/);
    assert.deepEqual(credentialProblems('comfyui', { COMFYUI_BASE_URL: 'http://127.0.0.1:8188' }), []);
  });
});

describe('secret scrubbing', () => {
  const env = { OPENAI_API_KEY: KEY, DASH0_AUTH_TOKEN: 'auth_dash0_9f8e7d', REDIS_PASSWORD: 'hunter2hunter2', SHORT_KEY: 'abc', PATH: '/usr/bin:/bin' };

  it('collects the values of secret variables', () => {
    const values = secretsOf(env).map((secret) => secret.value);
    assert.ok(values.includes(KEY));
    assert.ok(values.includes('auth_dash0_9f8e7d'));
    assert.ok(values.includes('hunter2hunter2'));
    assert.ok(!values.includes('abc'), 'too short to be a credential');
    assert.ok(!values.includes('/usr/bin:/bin'));
  });

  it('reads a secret name only from its suffix', () => {
    const values = secretsOf({ MONKEY_BUSINESS: 'bananas-galore', KEYBOARD_LAYOUT: 'international', TOKENIZER: 'cl100k_base', GITHUB_TOKEN: 'ghp_abcdef123456' }).map((secret) => secret.value);
    assert.deepEqual(values, ['ghp_abcdef123456']);
  });

  it('scrubs a secret split across two chunks', () => {
    const chunks = ['data: {"content":"dash0tok-', 'QA-777777"}\n\n', 'data: [DONE]\n\n'];
    const scrubbed = scrubRecording(recordingWith({ request: { method: 'POST', path: '/', query: {}, headers: {}, body: null }, response: { status: 200, headers: {}, chunks } }), secretsOf({ DASH0_AUTH_TOKEN: 'dash0tok-QA-777777' }));
    assert.deepEqual(scrubbed.exchanges[0].response.chunks, [`data: {"content":"${SCRUBBED}"}\n\n`, 'data: [DONE]\n\n']);
  });

  it('names the variables it scrubbed from a request', () => {
    const original = recordingWith({ request: { method: 'POST', path: '/embeddings', query: {}, headers: {}, body: { model: 'text-embedding-3-small' } }, response: { status: 200, headers: {}, body: {} } });
    const secrets = secretsOf({ RESULT_KEY: 'embedding' });
    const notes = requestScrubNotes(original, scrubRecording(original, secrets), secrets);
    assert.deepEqual(notes, ['exchange 1 (POST /embeddings): the value of RESULT_KEY was scrubbed from the request, so a replay will not match it; unset RESULT_KEY while recording if it is no secret']);
  });

  it('finds nothing to note in a clean request', () => {
    const original = recordingWith({ request: { method: 'POST', path: '/chat/completions', query: {}, headers: { authorization: `Bearer ${KEY}` }, body: { model: 'gpt-4o-mini' } }, response: { status: 200, headers: {}, body: { echo: KEY } } });
    const secrets = secretsOf(env);
    assert.deepEqual(requestScrubNotes(original, scrubRecording(original, secrets), secrets), []);
  });

  it('drops credential headers', () => {
    const scrubbed = scrubRecording(
      recordingWith({
        request: { method: 'POST', path: '/chat/completions', query: {}, headers: { authorization: `Bearer ${KEY}`, Cookie: 'a=b', 'content-type': 'application/json' }, body: null },
        response: { status: 200, headers: { 'set-cookie': '__cf_bm=xyz', 'openai-organization': 'org-1', 'content-type': 'application/json' }, body: {} },
      }),
      secretsOf(env),
    );
    assert.deepEqual(scrubbed.exchanges[0].request.headers, { 'content-type': 'application/json' });
    assert.deepEqual(scrubbed.exchanges[0].response.headers, { 'content-type': 'application/json' });
  });

  it('replaces secrets in bodies, chunks, paths and queries', () => {
    const scrubbed = scrubRecording(
      recordingWith({
        request: { method: 'GET', path: `/keys/${KEY}`, query: { token: 'auth_dash0_9f8e7d' }, headers: {}, body: { note: `pass hunter2hunter2 along`, [KEY]: 1 } },
        response: { status: 200, headers: {}, chunks: [`data: {"echo":"${KEY}"}\n\n`] },
      }),
      secretsOf(env),
    );
    const text = JSON.stringify(scrubbed);
    for (const secret of [KEY, 'auth_dash0_9f8e7d', 'hunter2hunter2']) assert.ok(!text.includes(secret), `${secret} is still in ${text}`);
    assert.equal(scrubbed.exchanges[0].request.path, `/keys/${SCRUBBED}`);
    assert.deepEqual(scrubbed.exchanges[0].request.query, { token: SCRUBBED });
    assert.deepEqual(scrubbed.exchanges[0].request.body, { note: `pass ${SCRUBBED} along`, [SCRUBBED]: 1 });
    assert.deepEqual(scrubbed.exchanges[0].response.chunks, [`data: {"echo":"${SCRUBBED}"}\n\n`]);
  });

  it('replaces what looks like a credential without a variable', () => {
    const body = { message: 'Incorrect API key provided: sk-abc12***********wxyz. Bearer eyJhbGciOi.x.y was sent, with session=3f9a; path=/' };
    const scrubbed = scrubRecording(recordingWith({ request: { method: 'POST', path: '/', query: {}, headers: {}, body: null }, response: { status: 401, headers: {}, body } }), []);
    assert.deepEqual(scrubbed.exchanges[0].response.body, { message: `Incorrect API key provided: ${SCRUBBED}. ${SCRUBBED} was sent, with ${SCRUBBED}; path=/` });
  });

  it('keeps ordinary text', () => {
    const body = { choices: [{ message: { content: 'max_tokens=5 is a setting, and a token is a word piece' } }] };
    const scrubbed = scrubRecording(recordingWith({ request: { method: 'POST', path: '/', query: {}, headers: {}, body: null }, response: { status: 200, headers: {}, body } }), secretsOf(env));
    assert.deepEqual(scrubbed.exchanges[0].response.body, body);
  });
});

describe('request differences', () => {
  const recorded = { method: 'POST', path: '/chat/completions', query: {}, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hi' }] } };

  it('finds none in the same request', () => {
    assert.ok(sameRequest(structuredClone(recorded), recorded));
  });

  it('shows a field the recording lacks', () => {
    const { model: _model, ...withoutModel } = recorded.body;
    assert.deepEqual(requestDifferences(recorded, { ...recorded, body: withoutModel }), ['+ body.model: "gpt-4o-mini"']);
  });

  it('shows a changed value in an array', () => {
    const sent = { ...recorded, body: { ...recorded.body, messages: [{ role: 'user', content: 'Say hello' }] } };
    assert.deepEqual(requestDifferences(sent, recorded), ['- body.messages[0].content: "Say hi"', '+ body.messages[0].content: "Say hello"']);
  });

  it('shows another path and query', () => {
    assert.deepEqual(requestDifferences({ method: 'GET', path: '/view', query: { filename: 'b.png' }, body: null }, { method: 'GET', path: '/view', query: { filename: 'a.png', type: 'output' }, body: null }), [
      '- query.filename: "a.png"',
      '+ query.filename: "b.png"',
      '- query.type: "output"',
    ]);
  });

  it('ignores the fields that change on every run', () => {
    const sent = { method: 'POST', path: '/prompt', query: {}, body: { prompt: {}, client_id: 'b' } };
    assert.ok(sameRequest(sent, { ...sent, body: { prompt: {}, client_id: 'a' } }, ['body.client_id']));
    assert.ok(!sameRequest(sent, { ...sent, body: { prompt: {}, client_id: 'a' } }));
  });
});

describe('missing fields', () => {
  it('lists fields by path, ignoring values', () => {
    const handWritten = { id: 'x', choices: [{ message: { role: 'assistant', content: 'Hi' } }], usage: { total_tokens: 3 } };
    const recorded = { id: 'y', choices: [{ message: { role: 'assistant' } }], created: 1 };
    assert.deepEqual(missingFields(handWritten, recorded), ['body.choices[0].message.content', 'body.usage']);
  });

  it('names a value of another kind', () => {
    assert.deepEqual(missingFields({ data: [1] }, { data: 'none' }), ['body.data (an array, but the other is a string)']);
  });

  it('finds nothing when the recording has more', () => {
    assert.deepEqual(missingFields({ a: 1 }, { a: 2, b: 3 }), []);
  });
});

describe('replay', () => {
  const guard = new NetworkGuard();
  const mock = new OllamaMock('http://ollama.test:11434');
  const path = join(tmpdir(), 'replayed.json');
  const request = { model: 'llama3.2', prompt: 'Hi', stream: false };
  const recording: Recording = {
    ...newRecording('ollama', 'A scenario', 'features/phase2/x.feature'),
    exchanges: [{ request: { method: 'POST', path: '/api/generate', query: {}, headers: {}, body: request }, response: { status: 200, headers: { 'content-type': 'application/json' }, body: { response: 'Hello', done: true } } }],
  };
  let replay: Replay;

  before(() => {
    guard.start();
    replay = new Replay(recording, path);
    replay.install(mock);
  });

  after(() => {
    mock.remove();
    guard.stop();
  });

  it('answers a matching request', async () => {
    const response = await axios.post('http://ollama.test:11434/api/generate', request);
    assert.deepEqual(response.data, { response: 'Hello', done: true });
    assert.deepEqual(replay.problems(), []);
  });

  it('names a request repeated past the recording', async () => {
    const response = await axios.post('http://ollama.test:11434/api/generate', request, { validateStatus: () => true });
    assert.equal(response.status, 400);
    assert.match(response.data.error.message, /has no further reply to this request, which it answered before/);
    assert.deepEqual(replay.problems(), [`the connector sent POST /api/generate once more than the recording ${path} holds: exchange 1 answered the same request before`]);
  });
});
