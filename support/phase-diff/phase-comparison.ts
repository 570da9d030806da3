import { changedLines, diffLines, formatDiffLine, type DiffLine } from './line-diff';

/** A difference between the phases that a scenario expects: every changed line that starts with `what`. */
export interface DeclaredDifference {
  what: string;
  why: string;
}

/** The normalized snapshot of one Examples row, as its After hook recorded it. */
export interface PhaseHalf {
  rowLabel: string;
  lines: readonly string[];
  declared: readonly DeclaredDifference[];
  /** False when a step or hook of the row failed before the snapshot was taken. */
  passed: boolean;
}

export type ComparisonOutcome = 'no differences' | 'expected differences only' | 'undeclared differences';

export interface PhaseComparison {
  outlineTitle: string;
  /** The two rows, such as `Phase 1 row | mock | (line 16) vs Phase 2 row | OpenAI | (line 21)`. */
  rows: string;
  outcome: ComparisonOutcome;
  lineCount: number;
  undeclared: DiffLine[];
  expected: { line: DiffLine; declaration: DeclaredDifference }[];
  /** Declarations that matched no changed line, so the scenario may declare more than it needs. */
  unused: DeclaredDifference[];
  failedRows: string[];
}

/** The start of the name of every comparison attachment, by which the difference formatter finds them. */
export const ATTACHMENT_PREFIX = 'Phase comparison';

/**
 * Diffs a Phase 1 row's snapshot against a Phase 2 row's and sorts each changed line into
 * expected (it starts with a `what` that either row declares) or undeclared.
 */
export function comparePhases(outlineTitle: string, phase1: PhaseHalf, phase2: PhaseHalf): PhaseComparison {
  const declared = uniqueDeclarations([...phase1.declared, ...phase2.declared]);
  const used = new Set<DeclaredDifference>();
  const undeclared: DiffLine[] = [];
  const expected: { line: DiffLine; declaration: DeclaredDifference }[] = [];

  for (const line of changedLines(diffLines(phase1.lines, phase2.lines))) {
    const declaration = declared.find((candidate) => line.text.startsWith(candidate.what));
    if (declaration) {
      used.add(declaration);
      expected.push({ line, declaration });
    } else {
      undeclared.push(line);
    }
  }

  let outcome: ComparisonOutcome = 'no differences';
  if (undeclared.length > 0) outcome = 'undeclared differences';
  else if (expected.length > 0) outcome = 'expected differences only';

  return {
    outlineTitle,
    rows: `${phase1.rowLabel} vs ${phase2.rowLabel}`,
    outcome,
    lineCount: Math.max(phase1.lines.length, phase2.lines.length),
    undeclared,
    expected,
    unused: declared.filter((declaration) => !used.has(declaration)),
    failedRows: [phase1, phase2].filter((half) => !half.passed).map((half) => half.rowLabel),
  };
}

/** Names the attachment of a comparison. The difference formatter reads the outcome back from the name. */
export function attachmentName(comparison: Pick<PhaseComparison, 'outcome' | 'rows'>): string {
  return `${ATTACHMENT_PREFIX} (${comparison.outcome}): ${comparison.rows}`;
}

/** Renders a comparison as the text that the HTML report, the console and a failure message show. */
export function formatComparison(comparison: PhaseComparison): string {
  const lines = [comparison.outlineTitle, `${comparison.rows}: ${summary(comparison)}`];

  if (comparison.undeclared.length > 0) {
    lines.push('', 'Undeclared differences (- only in Phase 1, + only in Phase 2):');
    lines.push(...comparison.undeclared.map(formatDiffLine));
  }
  if (comparison.expected.length > 0) {
    lines.push('', 'Expected differences, as the scenario declares them:');
    for (const [declaration, expected] of groupByDeclaration(comparison.expected)) {
      lines.push(`${declaration.what} (${declaration.why})`, ...expected.map((line) => `  ${formatDiffLine(line)}`));
    }
  }
  if (comparison.unused.length > 0) {
    lines.push('', 'Declared differences that did not occur:');
    lines.push(...comparison.unused.map(({ what, why }) => `${what} (${why})`));
  }
  for (const row of comparison.failedRows) {
    lines.push('', `Note: ${row} failed before its snapshot was taken, so some differences may come from that failure.`);
  }
  return lines.join('\n');
}

function summary(comparison: PhaseComparison): string {
  if (comparison.outcome === 'no differences') return `no differences in ${comparison.lineCount} lines`;
  const { undeclared, expected } = comparison;
  const count = undeclared.length + expected.length;
  return `${count} differing ${count === 1 ? 'line' : 'lines'}, ${undeclared.length} undeclared and ${expected.length} expected`;
}

/** Groups expected lines by the declaration they match, in the order the scenario declares them. */
function groupByDeclaration(expected: PhaseComparison['expected']): Map<DeclaredDifference, DiffLine[]> {
  const groups = new Map<DeclaredDifference, DiffLine[]>();
  for (const { line, declaration } of expected) groups.set(declaration, [...(groups.get(declaration) ?? []), line]);
  return groups;
}

/** Keeps the first declaration of each `what`, because both rows of a pair declare the same table. */
function uniqueDeclarations(declarations: readonly DeclaredDifference[]): DeclaredDifference[] {
  const seen = new Map<string, DeclaredDifference>();
  for (const declaration of declarations) if (!seen.has(declaration.what)) seen.set(declaration.what, declaration);
  return [...seen.values()];
}
