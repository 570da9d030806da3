import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import '../src/api/server';
import '../src/connectors/connector-manager';
import '../src/worker/worker-pool';

describe('production module graph', () => {
  it('loads the API, connectors and workers without nock', () => {
    const loaded = Object.keys(require.cache).filter((path) => path.includes(join('node_modules', 'nock')) || path.includes(join('src', 'service-mocks')));
    assert.deepEqual(loaded, []);
  });

  it('keeps nock a development dependency', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    assert.equal(manifest.dependencies.nock, undefined);
    assert.ok(manifest.devDependencies.nock);
  });

  it('loads the service mocks in the worker only behind the Phase 2 check', () => {
    const source = readFileSync(join(__dirname, '..', 'src', 'worker', 'main.ts'), 'utf8');
    assert.doesNotMatch(source, /^import .*service-mocks/m);
    assert.match(source, /if \(phase\.phase === '2' && phase\.mockMode\) \{[\s\S]*?require\('\.\.\/service-mocks\/staging-init'\)/);
  });
});
