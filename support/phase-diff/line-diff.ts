/** One line of a diff: kept in both texts, only in the first (`removed`) or only in the second (`added`). */
export interface DiffLine {
  kind: 'kept' | 'removed' | 'added';
  text: string;
}

/**
 * Diffs two lists of lines through their longest common subsequence, so that a line that
 * moved shows as one removal and one addition and every other line stays kept. The table
 * takes `before.length * after.length` cells, which is fine for snapshots of a few hundred lines.
 */
export function diffLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  // common[i][j] is the length of the longest common subsequence of before[i..] and after[j..].
  const common = Array.from({ length: before.length + 1 }, () => new Array<number>(after.length + 1).fill(0));
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      common[i][j] = before[i] === after[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }

  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length && j < after.length) {
    if (before[i] === after[j]) {
      lines.push({ kind: 'kept', text: before[i] });
      i++;
      j++;
    } else if (common[i + 1][j] >= common[i][j + 1]) {
      lines.push({ kind: 'removed', text: before[i++] });
    } else {
      lines.push({ kind: 'added', text: after[j++] });
    }
  }
  while (i < before.length) lines.push({ kind: 'removed', text: before[i++] });
  while (j < after.length) lines.push({ kind: 'added', text: after[j++] });
  return lines;
}

/** Returns the lines that differ, in diff order. */
export function changedLines(diff: readonly DiffLine[]): DiffLine[] {
  return diff.filter((line) => line.kind !== 'kept');
}

/** Formats a changed line as a diff does: `- ` for a removal, `+ ` for an addition. */
export function formatDiffLine(line: DiffLine): string {
  return `${MARKERS[line.kind]} ${line.text}`;
}

const MARKERS: Record<DiffLine['kind'], string> = { kept: ' ', removed: '-', added: '+' };
