import { After, AfterAll, BeforeAll, Status, type ITestCaseHookParameter } from '@cucumber/cucumber';

import type { JobWorld } from '../../worlds/job-world';
import { displayPath } from './recording';
import { fixtureSettings } from './scenario-fixtures';

/** Reads the FIXTURE_* settings once, so an invalid one stops the run before any scenario. */
BeforeAll(function () {
  fixtureSettings();
});

/** Recordings past their age in this run, printed together when the run ends. */
const expired = new Set<string>();

/**
 * Reports what a Phase 2 scenario's fixtures came from, warns about recordings past their age,
 * and, while a service is recorded, writes the scenario's recording when its steps passed.
 */
After({ tags: '@phase2', name: 'write or report the recorded fixtures' }, async function (this: JobWorld, { result }: ITestCaseHookParameter) {
  const fixtures = this.fixtures;
  if (!fixtures) return;

  if (fixtures.replayed.length > 0) {
    this.attach(`Replayed recordings:\n${fixtures.replayed.join('\n')}`, 'text/plain');
    const missing = this.services ? await fixtures.compareWithHandWritten(this.services) : '';
    if (missing) this.attach(missing, 'text/plain');
  }
  for (const warning of fixtures.warnings) {
    expired.add(warning);
    this.attach(`Warning: ${warning}`, 'text/plain');
  }

  const passed = result?.status === Status.PASSED;
  const written = await fixtures.finish(passed);
  if (!written) return;
  this.attach(`Recorded to ${displayPath(written.path)}`, 'text/plain');
  if (written.notes.length > 0) {
    // The person recording reads the console, not the report, so the notes go to both.
    const message = `Warning: ${displayPath(written.path)} will not replay as recorded:\n${written.notes.map((note) => `  - ${note}`).join('\n')}`;
    this.attach(message, 'text/plain');
    process.stderr.write(`\n${message}\n`);
  }
});

AfterAll(function () {
  if (expired.size === 0) return;
  process.stderr.write(`\n${expired.size} recording${expired.size === 1 ? ' is' : 's are'} past ${expired.size === 1 ? 'its' : 'their'} age:\n${[...expired].map((line) => `  - ${line}`).join('\n')}\n`);
});
