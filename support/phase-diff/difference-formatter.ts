import { ProgressFormatter, type IFormatterOptions, type ITestCaseHookParameter } from '@cucumber/cucumber';

import { outlineRowOf, type OutlineRow } from './outline-rows';
import { ATTACHMENT_PREFIX, type ComparisonOutcome } from './phase-comparison';

type GherkinDocument = ITestCaseHookParameter['gherkinDocument'];
type Pickle = ITestCaseHookParameter['pickle'];

/** The parts of a Cucumber message that this formatter reads. */
interface Envelope {
  gherkinDocument?: GherkinDocument;
  pickle?: Pickle;
  testCase?: { id: string; pickleId: string };
  testCaseStarted?: { testCaseId: string };
  attachment?: { fileName?: string; body: string };
}

interface Comparison {
  outcome: ComparisonOutcome;
  rows: string;
  body: string;
}

const OUTCOMES: ComparisonOutcome[] = ['no differences', 'expected differences only', 'undeclared differences'];
const ATTACHMENT_NAME = new RegExp(`^${ATTACHMENT_PREFIX} \\((${OUTCOMES.join('|')})\\): (.*)$`);

/**
 * The progress formatter, followed before its summary by every phase comparison of the run:
 * each pair's differences or "no differences", and the rows whose other half did not run or
 * ran in another process. The comparisons come from the attachments of the `compare the
 * phases` hook; which rows ran comes from the run's messages.
 */
export default class DifferenceFormatter extends ProgressFormatter {
  static override readonly documentation = 'Prints one character per scenario, then the differences between the Phase 1 and Phase 2 rows of each @differential outline.';

  private readonly documents = new Map<string, GherkinDocument>();
  private readonly pickles = new Map<string, Pickle>();
  private readonly pickleOfTestCase = new Map<string, string>();
  private readonly ran = new Set<string>();
  private readonly comparisons = new Map<string, Comparison>();

  constructor(options: IFormatterOptions) {
    super(options);
    options.eventBroadcaster.on('envelope', (envelope: Envelope) => this.collect(envelope));
  }

  override logSummary(...args: Parameters<ProgressFormatter['logSummary']>): void {
    this.log(this.report());
    super.logSummary(...args);
  }

  private collect(envelope: Envelope): void {
    if (envelope.gherkinDocument?.uri) this.documents.set(envelope.gherkinDocument.uri, envelope.gherkinDocument);
    if (envelope.pickle) this.pickles.set(envelope.pickle.id, envelope.pickle);
    if (envelope.testCase) this.pickleOfTestCase.set(envelope.testCase.id, envelope.testCase.pickleId);
    if (envelope.testCaseStarted) {
      const pickleId = this.pickleOfTestCase.get(envelope.testCaseStarted.testCaseId);
      if (pickleId) this.ran.add(pickleId);
    }

    const match = ATTACHMENT_NAME.exec(envelope.attachment?.fileName ?? '');
    if (match) {
      // A row that runs again, as with --retry, replaces its earlier comparison.
      this.comparisons.set(match[2], { outcome: match[1] as ComparisonOutcome, rows: match[2], body: envelope.attachment!.body });
    }
  }

  private report(): string {
    const outlines = this.ranOutlines();
    if (outlines.size === 0) return 'Phase comparisons: no row of a @differential Scenario Outline ran.\n\n';

    const lines = ['Phase comparisons', ''];
    const counts = new Map<ComparisonOutcome, number>(OUTCOMES.map((outcome) => [outcome, 0]));
    let unpaired = 0;
    let notCompared = 0;

    for (const rows of outlines.values()) {
      lines.push(rows[0].outlineTitle);
      const phase1 = rows.filter((row) => row.phase === '1');
      const phase2 = rows.filter((row) => row.phase === '2');

      if (phase1.length === 0 || phase2.length === 0) {
        for (const row of rows) lines.push(`  ${row.rowLabel}: not compared, because no row of Phase ${row.phase === '1' ? '2' : '1'} ran`);
        unpaired += rows.length;
      }
      for (const first of phase1) {
        for (const second of phase2) {
          const comparison = this.comparisons.get(`${first.rowLabel} vs ${second.rowLabel}`);
          if (!comparison) {
            lines.push(`  ${first.rowLabel} vs ${second.rowLabel}: not compared, because the rows ran in different processes (as with --parallel)`);
            notCompared++;
            continue;
          }
          counts.set(comparison.outcome, counts.get(comparison.outcome)! + 1);
          // The body's first line repeats the outline's title.
          lines.push(...comparison.body.split('\n').slice(1).map((line) => (line ? `  ${line}` : '')));
        }
      }
      lines.push('');
    }

    const compared = [...counts.values()].reduce((sum, count) => sum + count, 0);
    lines.push(`${compared} ${compared === 1 ? 'pair' : 'pairs'} compared: ${OUTCOMES.map((outcome) => `${counts.get(outcome)} with ${outcome}`).join(', ')}`);
    if (unpaired > 0) lines.push(`${unpaired} ${unpaired === 1 ? 'row' : 'rows'} whose other half did not run`);
    if (notCompared > 0) lines.push(`${notCompared} ${notCompared === 1 ? 'pair' : 'pairs'} not compared, because their rows ran in different processes`);
    return `${lines.join('\n')}\n\n`;
  }

  /** Groups the rows of @differential outlines that ran by their outline. */
  private ranOutlines(): Map<string, OutlineRow[]> {
    const all = new Map<string, OutlineRow[]>();
    for (const pickle of this.pickles.values()) {
      if (!this.ran.has(pickle.id) || !pickle.tags.some((tag) => tag.name === '@differential')) continue;
      const document = this.documents.get(pickle.uri);
      const row = document ? outlineRowOf(document, pickle) : null;
      if (row) all.set(row.outlineKey, [...(all.get(row.outlineKey) ?? []), row]);
    }
    return all;
  }
}
