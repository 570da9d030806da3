import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { PROJECT_ROOT } from '../src/phase/phase-profile';

const FIXTURES = join('test', 'fixtures', 'differential');

/** Runs the differential fixtures as `npm run acceptance:diff` runs the suite: serially, with the difference formatter. */
function runDifferential(feature: string, extraArgs: string[] = []): { status: number | null; output: string } {
  const cli = join(PROJECT_ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
  const { TEST_PHASE: _unused, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [cli, '--config', join(FIXTURES, 'cucumber.differential.js'), ...extraArgs, join(FIXTURES, feature)], {
    cwd: PROJECT_ROOT,
    env: { ...inherited, FORCE_COLOR: '0' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('phase-differential run', () => {
  it('reports rows that differ and fails', () => {
    const { status, output } = runDifferential('differing.feature');

    assert.equal(status, 1, output);
    assert.match(output, /Phase 1 row \| 0 \| \(line 12\) vs Phase 2 row \| 1 \| \(line 17\): \d+ differing lines, \d+ undeclared and 0 expected/);
    assert.match(output, /^ {2}- job "flaky" attempt: 1$/m);
    assert.match(output, /^ {2}\+ job "flaky" attempt: 2$/m);
    assert.match(output, /^ {2}\+ span "flaky" POST > submit <service> > process <service> \(attempt 2\) \[consumer\] status=OK$/m);
    assert.match(output, /The phases differ in ways the scenario does not declare/);
    assert.match(output, /1 pair compared: 0 with no differences, 0 with expected differences only, 1 with undeclared differences/);
    assert.match(output, /2 scenarios \(1 failed, 1 passed\)/);
  });

  it('reports nothing for rows that match', () => {
    const { status, output } = runDifferential('matching.feature');

    assert.equal(status, 0, output);
    assert.match(output, /Phase 1 row \| 1 \| \(line 12\) vs Phase 2 row \| 1 \| \(line 17\): no differences in \d+ lines/);
    assert.doesNotMatch(output, /^ {2}[-+] /m);
    assert.match(output, /1 pair compared: 1 with no differences, 0 with expected differences only, 0 with undeclared differences/);
  });

  it('reports a declared difference as expected', () => {
    const { status, output } = runDifferential('declared.feature');

    assert.equal(status, 0, output);
    assert.match(output, /: \d+ differing lines, 0 undeclared and \d+ expected/);
    assert.match(output, /Expected differences, as the scenario declares them:\n {2}job "flaky" attempt \(the Phase 2 service fails once more\)\n {4}- job "flaky" attempt: 1\n {4}\+ job "flaky" attempt: 2/);
    assert.doesNotMatch(output, /Undeclared differences/);
    assert.match(output, /1 pair compared: 0 with no differences, 1 with expected differences only, 0 with undeclared differences/);
  });

  it('rejects a plain scenario', () => {
    const { status, output } = runDifferential('plain-scenario.feature');

    assert.equal(status, 1, output);
    assert.match(output, /Scenario "A plain scenario" \(.*plain-scenario\.feature\) is tagged @differential but is not a row of a Scenario Outline's @phase1 or @phase2 Examples/);
    assert.match(output, /Phase comparisons: no row of a @differential Scenario Outline ran/);
  });

  it('lists a row whose other half did not run', () => {
    const { status, output } = runDifferential('matching.feature', ['--tags', '@phase1']);

    assert.equal(status, 0, output);
    assert.match(output, /Phase 1 row \| 1 \| \(line 12\): not compared, because no row of Phase 2 ran/);
    assert.match(output, /0 pairs compared/);
    assert.match(output, /1 row whose other half did not run/);
  });
});
