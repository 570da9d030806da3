import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { PROJECT_ROOT } from '../src/phase/phase-profile';
import { displayPath } from '../support/recordings/recording';
import { readFixtureSettings, SERVICES } from '../support/recordings/scenario-fixtures';
import type { ServiceName } from '../support/service-scenarios';

/**
 * Records the @recordable Phase 2 scenarios of one service against the real service:
 * `npm run fixtures:record -- <service> [cucumber-js options]`. The credentials come from the
 * environment, and the committed Phase 2 profile never supplies them.
 */

/** The variables a recording of each service needs from the environment, with what to set. */
const REQUIRED: Record<ServiceName, { name: string; hint: string }[]> = {
  openai: [{ name: 'OPENAI_API_KEY', hint: 'the API key of the OpenAI account to record with' }],
  ollama: [{ name: 'OLLAMA_HOST', hint: 'the Ollama server to record, such as http://127.0.0.1:11434' }],
  comfyui: [{ name: 'COMFYUI_BASE_URL', hint: 'the ComfyUI server to record, such as http://127.0.0.1:8188' }],
};

/** The key in .env.phase2, which no real service accepts. */
const PHASE2_PLACEHOLDER_KEY = 'sk-phase2-placeholder-not-a-secret';

const USAGE = `Usage: npm run fixtures:record -- <service> [cucumber-js options]

Runs the @recordable Phase 2 scenarios of <service> (${SERVICES.join(', ')}) against the real
service and writes each scenario's exchanges, secrets scrubbed, to
features/phase2/recordings/<service>/<scenario>.json (FIXTURE_DIR sets another directory).
Credentials come from the environment: OPENAI_API_KEY (and OPENAI_BASE_URL) for openai,
OLLAMA_HOST for ollama, COMFYUI_BASE_URL for comfyui.`;

function main(args: string[]): number {
  const [service, ...cucumberOptions] = args;
  if (!service || service === '--help' || service === '-h') {
    process.stderr.write(`${USAGE}\n`);
    return service ? 0 : 2;
  }
  if (!SERVICES.includes(service as ServiceName)) {
    process.stderr.write(`Unknown service "${service}": record one of ${SERVICES.join(', ')}.\n\n${USAGE}\n`);
    return 2;
  }

  const problems = credentialProblems(service as ServiceName, process.env);
  if (problems.length > 0) {
    process.stderr.write(`Not recording ${service}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
    return 2;
  }

  const env = { ...process.env, TEST_PHASE: '2', FIXTURE_RECORD: service };
  const dir = join(readFixtureSettings(env).dir, service);
  const startedAt = Date.now();
  const cli = join(PROJECT_ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
  process.stdout.write(`Recording the @recordable scenarios of ${service}. The workers reach it through a recording proxy on loopback, so their error messages name the proxy's address.\n`);
  const run = spawnSync(process.execPath, [cli, '-p', 'phase2', '--tags', `@recordable and @${service}`, ...cucumberOptions], { cwd: PROJECT_ROOT, env, stdio: 'inherit' });

  const written = recordingsSince(dir, startedAt);
  process.stdout.write(written.length > 0 ? `\nRecorded ${written.length} scenario${written.length === 1 ? '' : 's'}:\n${written.map((path) => `  ${displayPath(path)}`).join('\n')}\n` : '\nNo scenario was recorded.\n');
  if (run.status !== 0) process.stdout.write('A scenario that failed keeps its previous recording, if it had one.\n');
  return run.status ?? 1;
}

/** Lists the missing credentials of a service, each with what to set. */
export function credentialProblems(service: ServiceName, env: NodeJS.ProcessEnv): string[] {
  const problems = REQUIRED[service].filter(({ name }) => !env[name]).map(({ name, hint }) => `${name} is not set: set it to ${hint}.`);
  if (service === 'openai' && env.OPENAI_API_KEY === PHASE2_PLACEHOLDER_KEY) {
    problems.push('OPENAI_API_KEY is the placeholder of .env.phase2: set it to a real API key.');
  }
  return problems;
}

function recordingsSince(dir: string, since: number): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).mtimeMs >= since)
    .sort();
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
