import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';

import { readLines } from '../src/connectors/line-stream';

async function collect(chunks: (string | Buffer)[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readLines(Readable.from(chunks))) lines.push(line);
  return lines;
}

describe('line stream', () => {
  it('splits lines across chunks', async () => {
    assert.deepEqual(await collect(['data: {"a"', ':1}\n\ndata: [DO', 'NE]\n\n']), ['data: {"a":1}', '', 'data: [DONE]', '']);
  });

  it('drops carriage returns', async () => {
    assert.deepEqual(await collect(['one\r\ntwo\r\n']), ['one', 'two']);
  });

  it('yields a last line without ending', async () => {
    assert.deepEqual(await collect(['{"done":false}\n{"done":true}']), ['{"done":false}', '{"done":true}']);
  });

  it('joins characters split between chunks', async () => {
    const bytes = Buffer.from('héllo\n');
    assert.deepEqual(await collect([bytes.subarray(0, 2), bytes.subarray(2)]), ['héllo']);
  });

  it('rethrows a destroyed stream', async () => {
    const stream = new Readable({ read() {} });
    stream.push('partial\n');
    setImmediate(() => stream.destroy(new Error('request aborted')));
    const lines: string[] = [];
    await assert.rejects(async () => {
      for await (const line of readLines(stream)) lines.push(line);
    }, /request aborted/);
    assert.deepEqual(lines, ['partial']);
  });
});
