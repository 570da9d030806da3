import { After, Status, type ITestCaseHookParameter } from '@cucumber/cucumber';

import type { JobWorld } from '../../worlds/job-world';
import { snapshotLines } from './job-snapshot';
import { outlineRowOf } from './outline-rows';
import { attachmentName, comparePhases, formatComparison, type PhaseHalf } from './phase-comparison';
import { phaseHalves } from './phase-halves';

/**
 * Snapshots the jobs of a @differential row and compares them with every row of the other
 * phase of its outline that has already run in this process. Each comparison is attached to
 * the report, and an undeclared difference fails the row that ran second.
 *
 * After hooks run in the reverse order of their definition. This file loads after
 * support/hooks.ts, so this hook runs before the one there that stops the workers and deletes
 * the scenario's keys.
 */
After({ tags: '@differential', name: 'compare the phases', timeout: 30_000 }, async function (this: JobWorld, { gherkinDocument, pickle, result }: ITestCaseHookParameter) {
  const row = outlineRowOf(gherkinDocument, pickle);
  if (!row) {
    throw new Error(`Scenario "${pickle.name}" (${pickle.uri}) is tagged @differential but is not a row of a Scenario Outline's @phase1 or @phase2 Examples: only such rows have a row of the other phase to compare with.`);
  }

  const half: PhaseHalf = {
    rowLabel: row.rowLabel,
    lines: await snapshotLines(this),
    declared: this.declaredPhaseDifferences,
    passed: result?.status === Status.PASSED,
  };
  this.attach(half.lines.join('\n') || '(no jobs)', { mediaType: 'text/plain', fileName: `Phase snapshot: ${row.rowLabel}` });

  const comparisons = phaseHalves
    .record(row, half)
    .map((other) => (row.phase === '1' ? comparePhases(row.outlineTitle, half, other) : comparePhases(row.outlineTitle, other, half)));
  for (const comparison of comparisons) {
    this.attach(formatComparison(comparison), { mediaType: 'text/plain', fileName: attachmentName(comparison) });
  }

  const failed = comparisons.filter((comparison) => comparison.outcome === 'undeclared differences');
  if (failed.length > 0) {
    const details = failed.map(formatComparison).join('\n\n');
    throw new Error(`The phases differ in ways the scenario does not declare:\n\n${details}\n\nFix the difference, or declare it with "And the phases may differ in:" and a | what | why | table whose "what" starts the differing lines.`);
  }
});
