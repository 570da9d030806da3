import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { attachmentName, comparePhases, formatComparison, type PhaseHalf } from '../support/phase-diff/phase-comparison';

const OUTLINE = 'features/both-phases/job-flows.feature:9 "A job completes"';

function half(rowLabel: string, lines: string[], declared: PhaseHalf['declared'] = [], passed = true): PhaseHalf {
  return { rowLabel, lines, declared, passed };
}

const PHASE1_ROW = 'Phase 1 row | mock | (line 17)';
const PHASE2_ROW = 'Phase 2 row | OpenAI | (line 22)';

describe('phase comparison', () => {
  it('reports no differences for equal snapshots', () => {
    const lines = ['job "a" attempt: 1', 'job "a" status: "completed"'];
    const comparison = comparePhases(OUTLINE, half(PHASE1_ROW, lines), half(PHASE2_ROW, [...lines]));

    assert.equal(comparison.outcome, 'no differences');
    assert.equal(formatComparison(comparison), `${OUTLINE}\n${PHASE1_ROW} vs ${PHASE2_ROW}: no differences in 2 lines`);
    assert.equal(attachmentName(comparison), `Phase comparison (no differences): ${PHASE1_ROW} vs ${PHASE2_ROW}`);
  });

  it('reports an undeclared difference as a diff', () => {
    const comparison = comparePhases(OUTLINE, half(PHASE1_ROW, ['job "a" attempt: 1', 'x']), half(PHASE2_ROW, ['job "a" attempt: 2', 'x']));
    const text = formatComparison(comparison);

    assert.equal(comparison.outcome, 'undeclared differences');
    assert.match(text, /2 differing lines, 2 undeclared and 0 expected/);
    assert.match(text, /Undeclared differences \(- only in Phase 1, \+ only in Phase 2\):\n- job "a" attempt: 1\n\+ job "a" attempt: 2/);
  });

  it('accepts a declared difference by line prefix', () => {
    const declared = [{ what: 'job "a" result', why: 'each connector returns its own result' }];
    const comparison = comparePhases(OUTLINE, half(PHASE1_ROW, ['job "a" result: 1'], declared), half(PHASE2_ROW, ['job "a" result: 2'], declared));
    const text = formatComparison(comparison);

    assert.equal(comparison.outcome, 'expected differences only');
    assert.deepEqual(comparison.undeclared, []);
    assert.equal(comparison.expected.length, 2);
    assert.match(text, /Expected differences, as the scenario declares them:\njob "a" result \(each connector returns its own result\)\n {2}- job "a" result: 1\n {2}\+ job "a" result: 2/);
  });

  it('fails a difference the declarations miss', () => {
    const declared = [{ what: 'job "a" result', why: 'connector results differ' }];
    const comparison = comparePhases(OUTLINE, half(PHASE1_ROW, ['job "a" result: 1', 'job "a" attempt: 1'], declared), half(PHASE2_ROW, ['job "a" result: 2', 'job "a" attempt: 2']));

    assert.equal(comparison.outcome, 'undeclared differences');
    assert.deepEqual(comparison.undeclared.map((line) => line.text), ['job "a" attempt: 1', 'job "a" attempt: 2']);
    assert.equal(comparison.expected.length, 2);
  });

  it('lists declarations that matched nothing', () => {
    const declared = [{ what: 'span "a"', why: 'never differs here' }];
    const comparison = comparePhases(OUTLINE, half(PHASE1_ROW, ['x'], declared), half(PHASE2_ROW, ['x'], declared));

    assert.equal(comparison.outcome, 'no differences');
    assert.deepEqual(comparison.unused, declared);
    assert.match(formatComparison(comparison), /Declared differences that did not occur:\nspan "a" \(never differs here\)/);
  });

  it('notes a row that failed', () => {
    const comparison = comparePhases(OUTLINE, half(PHASE1_ROW, ['x']), half(PHASE2_ROW, [], [], false));

    assert.match(formatComparison(comparison), /Note: Phase 2 row \| OpenAI \| \(line 22\) failed before its snapshot was taken/);
  });
});
