import type { ComparedPhase, OutlineRow } from './outline-rows';
import type { PhaseHalf } from './phase-comparison';

/**
 * The rows of each differential outline that have run in this process, by outline and then
 * by phase and row. Both halves of a pair must run in one process to be compared. A run with
 * --parallel may split them, and the difference formatter lists such pairs as not compared.
 */
class PhaseHalves {
  private readonly outlines = new Map<string, Record<ComparedPhase, Map<string, PhaseHalf>>>();

  /** Records a row's half and returns the halves of the other phase of its outline that have run. */
  record(row: OutlineRow, half: PhaseHalf): PhaseHalf[] {
    let outline = this.outlines.get(row.outlineKey);
    if (!outline) {
      outline = { '1': new Map(), '2': new Map() };
      this.outlines.set(row.outlineKey, outline);
    }
    // A row that runs again, as with --retry, replaces its earlier half.
    outline[row.phase].set(row.rowId, half);
    return [...outline[row.phase === '1' ? '2' : '1'].values()];
  }
}

export const phaseHalves = new PhaseHalves();
