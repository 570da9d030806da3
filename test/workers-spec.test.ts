import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatWorkersSpec, parseWorkersSpec } from '../src/worker/workers-spec';

describe('parseWorkersSpec', () => {
  it('parses one type', () => {
    assert.deepEqual(parseWorkersSpec('mock:10'), [{ type: 'mock', count: 10 }]);
  });

  it('parses several types with spaces', () => {
    assert.deepEqual(parseWorkersSpec(' openai:3, ollama : 2 '), [
      { type: 'openai', count: 3 },
      { type: 'ollama', count: 2 },
    ]);
  });

  it('round-trips through formatWorkersSpec', () => {
    assert.equal(formatWorkersSpec(parseWorkersSpec('openai:3,ollama:2')), 'openai:3,ollama:2');
  });

  const invalid: [string, RegExp][] = [
    ['', /WORKERS is empty/],
    ['mock', /Invalid WORKERS entry "mock"/],
    ['mock:', /Invalid WORKERS entry "mock:"/],
    ['mock:ten', /Invalid WORKERS entry "mock:ten"/],
    ['mock:0', /Invalid worker count 0 for "mock"/],
    ['mock:101', /use 1 to 100/],
    ['mock:-1', /Invalid WORKERS entry/],
    ['mock:2,mock:3', /lists "mock" twice/],
    ['Mock:1', /Invalid WORKERS entry "Mock:1"/],
    ['mock:1,', /Invalid WORKERS entry ""/],
  ];
  for (const [spec, message] of invalid) {
    it(`rejects ${JSON.stringify(spec)}`, () => {
      assert.throws(() => parseWorkersSpec(spec), message);
    });
  }
});
