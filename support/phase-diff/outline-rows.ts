import type { ITestCaseHookParameter } from '@cucumber/cucumber';

type GherkinDocument = ITestCaseHookParameter['gherkinDocument'];
type Pickle = Pick<ITestCaseHookParameter['pickle'], 'uri' | 'astNodeIds' | 'tags'>;
type Scenario = NonNullable<NonNullable<GherkinDocument['feature']>['children'][number]['scenario']>;

export type ComparedPhase = '1' | '2';

/** One Examples row of a Scenario Outline that the phase-differential run compares. */
export interface OutlineRow {
  /** The feature file and the outline's AST node id: every row of one outline shares it. */
  outlineKey: string;
  /** The outline as a reader finds it, such as `features/both-phases/job-flows.feature:8 "A job completes"`. */
  outlineTitle: string;
  rowId: string;
  phase: ComparedPhase;
  /** The row as it reads in the feature file, such as `Phase 2 row | OpenAI | (line 21)`. */
  rowLabel: string;
}

/**
 * Finds the outline and Examples row that a pickle comes from. Returns null for a pickle of a
 * plain Scenario, or one without a @phase1 or @phase2 tag, because it has no other half.
 */
export function outlineRowOf(gherkinDocument: GherkinDocument, pickle: Pickle): OutlineRow | null {
  const [outlineId, rowId] = pickle.astNodeIds;
  const phase = phaseOf(pickle);
  const scenario = scenarios(gherkinDocument).find((candidate) => candidate.id === outlineId);
  if (!scenario || !rowId || !phase) return null;

  const row = scenario.examples.flatMap((examples) => examples.tableBody).find((candidate) => candidate.id === rowId);
  if (!row) return null;

  const cells = row.cells.map((cell) => cell.value).join(' | ');
  return {
    outlineKey: `${pickle.uri}#${outlineId}`,
    outlineTitle: `${pickle.uri}:${scenario.location.line} "${scenario.name}"`,
    rowId,
    phase,
    rowLabel: `Phase ${phase} row | ${cells} | (line ${row.location.line})`,
  };
}

export function phaseOf(pickle: Pick<Pickle, 'tags'>): ComparedPhase | null {
  const names = pickle.tags.map((tag) => tag.name);
  if (names.includes('@phase1')) return '1';
  if (names.includes('@phase2')) return '2';
  return null;
}

function scenarios(gherkinDocument: GherkinDocument): Scenario[] {
  const found: Scenario[] = [];
  for (const child of gherkinDocument.feature?.children ?? []) {
    if (child.scenario) found.push(child.scenario);
    for (const ruleChild of child.rule?.children ?? []) {
      if (ruleChild.scenario) found.push(ruleChild.scenario);
    }
  }
  return found;
}
