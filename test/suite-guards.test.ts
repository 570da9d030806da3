import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { PROJECT_ROOT } from '../src/phase/phase-profile';

const FIXTURES = join('test', 'fixtures', 'guards');

function runCucumber(feature: string, env: Record<string, string>): { status: number | null; output: string } {
  const cli = join(PROJECT_ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
  const { TEST_PHASE: _unused, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [cli, '--config', join(FIXTURES, 'cucumber.guards.js'), join(FIXTURES, feature)], {
    cwd: PROJECT_ROOT,
    env: { ...inherited, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('suite guards', () => {
  it('stop the run when TEST_PHASE disagrees', () => {
    const { status, output } = runCucumber('mismatched.feature', { TEST_PHASE: '2' });

    assert.equal(status, 1);
    assert.match(output, /Stopping the run: TEST_PHASE=2 but scenario "First Phase 1 scenario" \(.*mismatched\.feature\) is tagged @phase1/);
    assert.match(output, /--tags @phase2/);
    assert.match(output, /2 scenarios \(1 failed, 1 skipped\)/);
  });

  it('reject a missing or doubled phase tag', () => {
    const { status, output } = runCucumber('untagged.feature', {});

    assert.equal(status, 1);
    assert.match(output, /"Scenario without a phase tag" .* has no phase tag: tag it with exactly one of @phase1, @phase2, @production/);
    assert.match(output, /"Scenario with two phase tags" .* has the phase tags @phase1 and @phase2/);
    assert.match(output, /2 scenarios \(2 failed\)/);
  });
});
