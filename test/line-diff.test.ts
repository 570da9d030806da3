import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { changedLines, diffLines, formatDiffLine } from '../support/phase-diff/line-diff';

describe('line diff', () => {
  it('keeps identical lists', () => {
    const diff = diffLines(['a', 'b', 'c'], ['a', 'b', 'c']);

    assert.deepEqual(diff.map((line) => line.kind), ['kept', 'kept', 'kept']);
    assert.deepEqual(changedLines(diff), []);
  });

  it('shows a changed line as removal then addition', () => {
    const diff = diffLines(['attempt: 1', 'status: completed'], ['attempt: 2', 'status: completed']);

    assert.deepEqual(changedLines(diff).map(formatDiffLine), ['- attempt: 1', '+ attempt: 2']);
    assert.deepEqual(diff.at(-1), { kind: 'kept', text: 'status: completed' });
  });

  it('shows lines added at either end', () => {
    const diff = diffLines(['b'], ['a', 'b', 'c']);

    assert.deepEqual(diff, [
      { kind: 'added', text: 'a' },
      { kind: 'kept', text: 'b' },
      { kind: 'added', text: 'c' },
    ]);
  });

  it('shows a moved line once removed, once added', () => {
    const changes = changedLines(diffLines(['a', 'b', 'c'], ['b', 'c', 'a']));

    assert.deepEqual(changes.map(formatDiffLine), ['- a', '+ a']);
  });

  it('handles empty lists', () => {
    assert.deepEqual(diffLines([], []), []);
    assert.deepEqual(changedLines(diffLines([], ['x', 'y'])).map(formatDiffLine), ['+ x', '+ y']);
    assert.deepEqual(changedLines(diffLines(['x'], [])).map(formatDiffLine), ['- x']);
  });

  it('matches repeated lines by position', () => {
    const changes = changedLines(diffLines(['p', 'p', 'q'], ['p', 'q', 'q']));

    assert.deepEqual(changes.map(formatDiffLine), ['- p', '+ q']);
  });
});
