import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { loadPhaseProfile, PROJECT_ROOT } from '../src/phase/phase-profile';

describe('loadPhaseProfile', () => {
  it('loads the committed Phase 1 profile', () => {
    const env = loadPhaseProfile({ TEST_PHASE: '1' });
    assert.equal(env.WORKERS, 'mock:10');
    assert.equal(env.MOCK_MODE, 'false');
    assert.equal(env.NODE_ENV, 'test');
    assert.equal(env.MOCK_CONNECTOR_DELAY, '2000');
  });

  it('loads the committed Phase 2 profile', () => {
    const env = loadPhaseProfile({ TEST_PHASE: '2' });
    assert.equal(env.WORKERS, 'openai:3,ollama:2');
    assert.equal(env.MOCK_MODE, 'true');
    assert.equal(env.WORKER_MODE, 'real');
  });

  it('lets the environment win over the file', () => {
    const env = loadPhaseProfile({ TEST_PHASE: '1', WORKERS: 'mock:2' });
    assert.equal(env.WORKERS, 'mock:2');
    assert.equal(env.WORKER_MODE, 'mock');
  });

  it('loads nothing without TEST_PHASE', () => {
    assert.deepEqual(loadPhaseProfile({ WORKERS: 'comfyui:5' }), { WORKERS: 'comfyui:5' });
  });

  it('reports a missing profile', () => {
    const root = mkdtempSync(join(tmpdir(), 'conveyor-profile-'));
    assert.throws(() => loadPhaseProfile({ TEST_PHASE: '2' }, root), /Cannot read the Phase 2 profile .*\.env\.phase2 \(ENOENT\)/);
  });

  it('reads a profile from another root', () => {
    const root = mkdtempSync(join(tmpdir(), 'conveyor-profile-'));
    writeFileSync(join(root, '.env.phase1'), 'WORKERS=mock:3\n# comment\nMOCK_MODE=false\n');
    assert.equal(loadPhaseProfile({ TEST_PHASE: '1' }, root).WORKERS, 'mock:3');
    assert.notEqual(root, PROJECT_ROOT);
  });
});
