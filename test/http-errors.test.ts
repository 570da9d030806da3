import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AxiosError } from 'axios';

import { ConnectorError } from '../src/connectors/connector-error';
import { errorForFailure, errorForStatus, malformedResponse, parseRetryAfter, redactSecrets, RequestTimeoutError, type RequestTarget } from '../src/connectors/http-errors';

const target: RequestTarget = { service: 'openai', method: 'POST', url: 'https://api.openai.com/v1/chat/completions' };
const API_KEY = 'sk-test-0123456789abcdef';

function idleSignals() {
  return { job: new AbortController().signal, timeout: new AbortController().signal };
}

describe('status classification', () => {
  const cases: [number, string, boolean][] = [
    [408, 'timeout', true],
    [429, 'rate_limited', true],
    [500, 'server_error', true],
    [502, 'server_error', true],
    [503, 'server_error', true],
    [400, 'bad_request', false],
    [401, 'unauthorized', false],
    [403, 'forbidden', false],
    [404, 'not_found', false],
    [422, 'client_error', false],
  ];
  for (const [status, kind, retryable] of cases) {
    it(`classifies ${status} as ${retryable ? 'retryable' : 'permanent'} ${kind}`, () => {
      const error = errorForStatus(target, status, {}, '', []);
      assert.equal(error.kind, kind);
      assert.equal(error.retryable, retryable);
      assert.equal(error.status, status);
      assert.equal(error.service, 'openai');
    });
  }

  it('names the service, request, status and service message', () => {
    const body = JSON.stringify({ error: { message: 'Your request was rejected.', type: 'invalid_request_error', code: 'content_policy_violation' } });
    const error = errorForStatus(target, 400, {}, body, []);
    assert.equal(error.message, 'openai POST https://api.openai.com/v1/chat/completions returned 400: Your request was rejected. (content_policy_violation)');
  });

  it('reads the Ollama error format', () => {
    const error = errorForStatus({ ...target, service: 'ollama' }, 404, {}, '{"error":"model \\"llama3.2\\" not found, try pulling it first"}', []);
    assert.match(error.message, /returned 404: model "llama3.2" not found, try pulling it first$/);
  });

  it('keeps a plain-text body, shortened', () => {
    const error = errorForStatus(target, 502, {}, `<html>${'x'.repeat(1000)}</html>`, []);
    assert.ok(error.message.length < 400, error.message);
    assert.ok(error.message.endsWith('…'));
  });

  it('passes Retry-After of a 429 on as retryAfterMs', () => {
    assert.equal(errorForStatus(target, 429, { 'retry-after': '2' }, '', []).retryAfterMs, 2000);
  });

  it('ignores Retry-After on a permanent failure', () => {
    assert.equal(errorForStatus(target, 400, { 'retry-after': '2' }, '', []).retryAfterMs, undefined);
  });

  it('carries the job error fields', () => {
    const jobError = errorForStatus(target, 503, {}, '', []).toJobError();
    assert.deepEqual(jobError, { message: 'openai POST https://api.openai.com/v1/chat/completions returned 503', kind: 'server_error', retryable: true, service: 'openai', status: 503 });
  });
});

describe('Retry-After parsing', () => {
  it('reads seconds', () => {
    assert.equal(parseRetryAfter({ 'Retry-After': '3' }), 3000);
  });

  it('reads fractional seconds', () => {
    assert.equal(parseRetryAfter({ 'retry-after': '0.5' }), 500);
  });

  it('reads an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now), 5000);
  });

  it('prefers retry-after-ms', () => {
    assert.equal(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '3' }), 250);
  });

  it('returns undefined for garbage', () => {
    assert.equal(parseRetryAfter({ 'retry-after': 'soon' }), undefined);
  });

  it('returns undefined without the header', () => {
    assert.equal(parseRetryAfter({}), undefined);
  });
});

describe('failures without a response', () => {
  it('returns the cancellation reason when the job was aborted', () => {
    const job = new AbortController();
    const reason = new Error('cancelled');
    job.abort(reason);
    assert.equal(errorForFailure(target, new AxiosError('canceled', 'ERR_CANCELED'), { job: job.signal, timeout: new AbortController().signal }, []), reason);
  });

  it('classifies the connector timer as a retryable timeout', () => {
    const timeout = new AbortController();
    timeout.abort(new RequestTimeoutError(100));
    const error = errorForFailure(target, new AxiosError('canceled', 'ERR_CANCELED'), { job: new AbortController().signal, timeout: timeout.signal }, []);
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.kind, 'timeout');
    assert.equal(error.retryable, true);
    assert.equal(error.message, 'openai POST https://api.openai.com/v1/chat/completions timed out: no response within 100 ms');
  });

  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND']) {
    it(`classifies ${code} as a retryable network error`, () => {
      const error = errorForFailure(target, Object.assign(new Error(`connect ${code}`), { code }), idleSignals(), []);
      assert.ok(error instanceof ConnectorError);
      assert.equal(error.kind, 'network');
      assert.equal(error.retryable, true);
      assert.match(error.message, new RegExp(`^openai POST https://api.openai.com/v1/chat/completions failed: .+ \\(${code}\\)$`));
    });
  }

  it('finds the code on the cause of an axios error', () => {
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const error = errorForFailure(target, new AxiosError('socket hang up', 'ERR_BAD_RESPONSE', undefined, undefined, undefined), idleSignals(), []) as ConnectorError;
    assert.equal(error.kind, 'network');
    const withCause = new AxiosError('socket hang up');
    withCause.cause = cause;
    assert.match((errorForFailure(target, withCause, idleSignals(), []) as ConnectorError).message, /connection reset \(ECONNRESET\)$/);
  });

  it('passes a ConnectorError through', () => {
    const original = malformedResponse(target, 200, 'the body is not JSON');
    assert.equal(errorForFailure(target, original, idleSignals(), []), original);
  });
});

describe('malformed responses', () => {
  it('are permanent and say what was wrong', () => {
    const error = malformedResponse(target, 200, '"choices[0].message" is missing');
    assert.equal(error.retryable, false);
    assert.equal(error.kind, 'malformed_response');
    assert.equal(error.message, 'openai POST https://api.openai.com/v1/chat/completions returned a malformed response: "choices[0].message" is missing');
  });
});

describe('secret redaction', () => {
  it('removes a known secret', () => {
    assert.equal(redactSecrets(`key ${API_KEY} used`, [API_KEY]), 'key [redacted] used');
  });

  it('removes a masked OpenAI key as the service echoes it', () => {
    assert.equal(redactSecrets('Incorrect API key provided: sk-test-***********cdef.', []), 'Incorrect API key provided: [redacted].');
  });

  it('removes bearer credentials', () => {
    assert.equal(redactSecrets('"authorization": "Bearer abc.def"', []), '"authorization": "Bearer [redacted]"');
  });

  it('keeps a secret out of a status error message', () => {
    const body = JSON.stringify({ message: `Nock: No match for request {"authorization": "Bearer ${API_KEY}"}` });
    assert.ok(!errorForStatus(target, 501, {}, body, [API_KEY]).message.includes(API_KEY));
  });
});
