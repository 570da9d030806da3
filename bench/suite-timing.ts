import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SuiteTiming {
  /** Wall time of `npx cucumber-js --parallel 2`, as `npm run acceptance` runs it, process start to exit, in ms. */
  wallMs: number;
  /** Duration of each scenario's set-up hook (fresh prefix, API, workers), in ms. */
  setupMs: number[];
}

/** A Before hook that sets up a scenario's system is named "start the ... system". */
const SETUP_HOOK = /^start the .* system$/;

/**
 * Runs the acceptance suite once against `redisUrl` and reads the set-up hook durations from
 * Cucumber's message output. Throws when the suite fails, because its timing would mislead.
 */
export async function timeSuite(cwd: string, redisUrl: string): Promise<SuiteTiming> {
  const dir = mkdtempSync(join(tmpdir(), 'conveyor-bench-suite-'));
  const messagesFile = join(dir, 'messages.ndjson');
  try {
    const startedAt = performance.now();
    const { code, output } = await run('npx', ['cucumber-js', '--parallel', '2', '--format', `message:${messagesFile}`], cwd, { ...process.env, REDIS_URL: redisUrl });
    const wallMs = performance.now() - startedAt;
    if (code !== 0) {
      throw new Error(`The acceptance suite failed with exit code ${code}; its timing is not reported.\n${output.slice(-4000)}`);
    }
    return { wallMs, setupMs: readSetupDurations(readFileSync(messagesFile, 'utf8')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readSetupDurations(ndjson: string): number[] {
  const setupHooks = new Set<string>();
  const setupSteps = new Set<string>();
  const durations: number[] = [];

  for (const line of ndjson.split('\n')) {
    if (line.trim() === '') continue;
    const envelope = JSON.parse(line);
    if (envelope.hook && SETUP_HOOK.test(envelope.hook.name ?? '')) {
      setupHooks.add(envelope.hook.id);
    } else if (envelope.testCase) {
      for (const step of envelope.testCase.testSteps) {
        if (step.hookId && setupHooks.has(step.hookId)) setupSteps.add(step.id);
      }
    } else if (envelope.testStepFinished && setupSteps.has(envelope.testStepFinished.testStepId)) {
      const { seconds, nanos } = envelope.testStepFinished.testStepResult.duration;
      durations.push(seconds * 1000 + nanos / 1e6);
    }
  }
  return durations;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}
