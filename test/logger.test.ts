import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import axios from 'axios';

import { createLogger } from '../src/logger';

const SECRET = 'sk-test-4b1d9e0c7a';

function captureLogger(): { logger: ReturnType<typeof createLogger>; output: () => string } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { logger: createLogger({ name: 'redaction-test', level: 'info', destination }), output: () => text };
}

describe('logger redaction', () => {
  it('censors credentials at the top level and in headers', () => {
    const { logger, output } = captureLogger();

    logger.info({ apiKey: SECRET, token: SECRET, password: SECRET, authorization: `Bearer ${SECRET}` }, 'top level');
    logger.info({ request: { headers: { authorization: `Bearer ${SECRET}`, 'x-api-key': SECRET, cookie: `session=${SECRET}` } } }, 'headers');
    logger.info({ connector: { options: { headers: { Authorization: `Bearer ${SECRET}` } } } }, 'nested headers');

    assert.doesNotMatch(output(), new RegExp(SECRET));
    assert.match(output(), /\[redacted\]/);
  });

  it('keeps fields that are not secrets', () => {
    const { logger, output } = captureLogger();

    logger.info({ jobId: 'job-1', headers: { 'content-type': 'application/json' } }, 'plain');

    assert.match(output(), /"jobId":"job-1"/);
    assert.match(output(), /application\/json/);
  });

  it('drops the request of a failed HTTP call from a logged error', async () => {
    const server = createServer((_request, response) => {
      response.statusCode = 502;
      response.end('upstream failed');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const { logger, output } = captureLogger();

    try {
      const error = await axios
        .post(`http://127.0.0.1:${port}/v1/chat/completions`, { prompt: 'hi' }, { headers: { Authorization: `Bearer ${SECRET}`, 'x-api-key': SECRET } })
        .then(() => assert.fail('expected the request to fail'), (caught: unknown) => caught);
      logger.error({ err: error }, 'service call failed');
      logger.error({ error }, 'service call failed');
    } finally {
      server.close();
    }

    const text = output();
    assert.doesNotMatch(text, new RegExp(SECRET));
    const record = JSON.parse(text.split('\n')[0]) as { err: { message: string; status: number } };
    assert.match(record.err.message, /status code 502/);
    assert.equal(record.err.status, 502);
  });

  it('leaves the logged error object itself unchanged', () => {
    const { logger } = captureLogger();
    const error = Object.assign(new Error('failed'), { config: { url: '/v1' } });

    logger.error({ err: error }, 'failed');

    assert.deepEqual(error.config, { url: '/v1' });
  });
});
