import { After, Before, setDefaultTimeout, type ITestCaseHookParameter } from '@cucumber/cucumber';

import { jobView } from '../src/api/job-view';
import type { JobWorld } from '../worlds/job-world';
import { leakGuard } from './leak-guard';
import { phaseEnvironment } from './phase-environment';
import { fixtureSettings, ScenarioFixtures } from './recordings/scenario-fixtures';

setDefaultTimeout(10_000);

const PHASE_TAGS = ['@phase1', '@phase2', '@production'];

/** Set once a scenario's phase disagrees with TEST_PHASE; every later scenario is skipped. */
let stopReason: string | null = null;

/**
 * Checks a scenario's phase tag: exactly one, and the one TEST_PHASE selects when it is set.
 * On a mismatch the scenario fails and the rest of the run is skipped.
 */
Before({ name: 'check the phase tag' }, function (this: JobWorld, { pickle, gherkinDocument }: ITestCaseHookParameter) {
  if (stopReason) return 'skipped';
  leakGuard.beginScenario();

  const where = `"${pickle.name}" (${gherkinDocument.uri})`;
  const phaseTags = pickle.tags.map((tag) => tag.name).filter((name) => PHASE_TAGS.includes(name));
  if (phaseTags.length !== 1) {
    throw new Error(`Scenario ${where} has ${phaseTags.length === 0 ? 'no phase tag' : `the phase tags ${phaseTags.join(' and ')}`}: tag it with exactly one of ${PHASE_TAGS.join(', ')}.`);
  }

  const selected = process.env.TEST_PHASE;
  const tagPhase = phaseTags[0].replace('@phase', '');
  if (selected && tagPhase !== selected) {
    stopReason = `TEST_PHASE=${selected} but scenario ${where} is tagged ${phaseTags[0]}`;
    throw new Error(`Stopping the run: ${stopReason}. Select matching scenarios with "--tags @phase${selected}" (npm run test:phase${selected}), or unset TEST_PHASE.`);
  }
  return undefined;
});

Before({ tags: '@phase1', name: 'start the Phase 1 system', timeout: 15_000 }, async function (this: JobWorld) {
  await this.startPhase('1');
});

/**
 * Starts the Phase 2 system. The service mocks come first, then the recordings: a replay for
 * each service this scenario has a recording of, or, while a service is recorded, a proxy in
 * front of it that the workers call instead.
 */
Before({ tags: '@phase2', name: 'start the Phase 2 system with service mocks', timeout: 15_000 }, async function (this: JobWorld, { pickle }: ITestCaseHookParameter) {
  const settings = phaseEnvironment('2').connectorSettings;
  const services = this.startServiceMocks(settings);

  const fixtures = new ScenarioFixtures({ name: pickle.name, uri: pickle.uri, tags: pickle.tags.map((tag) => tag.name) }, fixtureSettings());
  this.fixtures = fixtures;
  this.onCleanup('stop the recording proxy', () => fixtures.stopRecording());
  const overrides = await fixtures.prepare(services, settings);
  await this.startPhase('2', overrides);
});

/** Production scenarios check a deployed system through its API; nothing runs in-process. */
Before({ tags: '@production', name: 'connect to the deployed system' }, function (this: JobWorld) {
  const missing = ['API_URL', 'API_AUTH_TOKEN'].filter((name) => !process.env[name]);
  if (missing.length > 0) {
    stopReason = `${missing.join(' and ')} not set`;
    throw new Error(`Stopping the run: the @production scenarios check a deployed system and need ${missing.join(' and ')}. Set API_URL to the deployed API (such as https://conveyor.example.com) and API_AUTH_TOKEN to its bearer token.`);
  }
  this.connectToDeployment(process.env.API_URL!, process.env.API_AUTH_TOKEN!);
});

/** Most job records one scenario attaches to the report; a load scenario submits far more. */
const MAX_ATTACHED_JOBS = 20;

After({ name: 'check for leftovers and clean up', timeout: 30_000 }, async function (this: JobWorld) {
  const problems: string[] = [];
  if (this.queue) {
    await attachJobRecords(this);
    problems.push(...(await unexpectedFailures(this)));
  }

  problems.push(...(await this.runCleanups()));
  if (this.queue) {
    problems.push(...(await leakedWorkers(this)));
    await this.deleteScenarioKeys();
  }
  problems.push(...(await leakGuard.leftovers()));

  if (problems.length > 0) {
    throw new Error(`The scenario left problems behind:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
});

/** Attaches the final record of each job the scenario submitted, for reviewers of the HTML report. */
async function attachJobRecords(world: JobWorld): Promise<void> {
  const names = [...world.jobIds.keys()];
  if (names.length === 0) return;

  const records: Record<string, unknown> = {};
  for (const name of names.slice(0, MAX_ATTACHED_JOBS)) {
    const job = await world.queue!.get(world.jobIds.get(name)!);
    records[name] = job ? jobView(job) : 'not found';
  }
  const omitted = names.length - MAX_ATTACHED_JOBS;
  const title = omitted > 0 ? `Job records (first ${MAX_ATTACHED_JOBS} of ${names.length})` : 'Job records';
  world.attach(JSON.stringify(records, null, 2), { mediaType: 'application/json', fileName: title });
}

async function unexpectedFailures(world: JobWorld): Promise<string[]> {
  const problems: string[] = [];
  for (const [name, id] of world.jobIds) {
    const job = await world.queue!.get(id);
    if (job?.status === 'failed' && !world.checkedFailures.has(id)) {
      problems.push(`job "${name}" failed and no step checked it: ${job.error?.message}`);
    }
  }
  return problems;
}

async function leakedWorkers(world: JobWorld): Promise<string[]> {
  const ids = await world.queue!.redis.smembers(world.queue!.keys.workers());
  return ids.map((id) => `worker ${id} is still registered after the scenario stopped its workers and processes`);
}
