import { DEFAULT_CONNECTOR_FACTORIES, MOCK_CONNECTOR_TYPES } from '../connectors/connector-manager';
import { formatWorkersSpec, parseWorkersSpec, type WorkerGroup } from '../worker/workers-spec';

export type PhaseName = '1' | '2' | 'production';
export type WorkerMode = 'mock' | 'real';

/** The environment read into one column of the phase table and checked against it. */
export interface PhaseConfig {
  phase: PhaseName;
  /** Empty when the process only serves the API and WORKERS is unset. */
  workers: WorkerGroup[];
  workerMode: WorkerMode;
  mockMode: boolean;
  nodeEnv: string;
  /** Services switched to mocks one by one with MOCK_<SERVICE>=true. */
  mockedServices: string[];
}

/** The value each phase requires of each variable; the resolver checks the environment against it. */
export const PHASE_TABLE: Record<PhaseName, { workers: string; workerMode: WorkerMode; mockMode: boolean; nodeEnv: string }> = {
  '1': { workers: 'mock:10', workerMode: 'mock', mockMode: false, nodeEnv: 'test' },
  '2': { workers: 'openai:3,ollama:2', workerMode: 'real', mockMode: true, nodeEnv: 'test' },
  production: { workers: 'comfyui:5', workerMode: 'real', mockMode: false, nodeEnv: 'production' },
};

/** A configuration that mixes the columns of the phase table; the message lists every problem. */
export class PhaseConfigError extends Error {
  override readonly name = 'PhaseConfigError';

  constructor(
    readonly phaseLabel: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration for ${phaseLabel}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

export interface ResolveOptions {
  /** Workers need WORKERS; the API only reports it. */
  requireWorkers: boolean;
}

/**
 * Reads TEST_PHASE, WORKERS, WORKER_MODE, MOCK_MODE, MOCK_<SERVICE> and NODE_ENV into a phase
 * configuration. Throws a PhaseConfigError naming every offending variable, its value and the fix.
 */
export function resolvePhase(env: NodeJS.ProcessEnv, options: ResolveOptions): PhaseConfig {
  const testPhase = env.TEST_PHASE ?? '';
  if (testPhase !== '' && testPhase !== '1' && testPhase !== '2') {
    throw new PhaseConfigError(`TEST_PHASE=${testPhase}`, [
      `TEST_PHASE=${testPhase} is not a phase: set TEST_PHASE=1 (mock workers), TEST_PHASE=2 (real connectors with service mocks), or unset it for production.`,
    ]);
  }

  const phase: PhaseName = testPhase === '' ? 'production' : testPhase;
  const label = phase === 'production' ? 'production (TEST_PHASE unset)' : `Phase ${phase} (TEST_PHASE=${phase})`;
  const expected = PHASE_TABLE[phase];
  const problems: string[] = [];

  const workers = readWorkers(env, options, expected.workers, problems);
  const mockTypes = workers.filter((group) => MOCK_CONNECTOR_TYPES.includes(group.type)).map((group) => group.type);
  const realTypes = workers.filter((group) => !MOCK_CONNECTOR_TYPES.includes(group.type)).map((group) => group.type);
  const workerMode = readWorkerMode(env, mockTypes, realTypes, expected.workerMode, problems);
  const mockMode = readBoolean(env, 'MOCK_MODE', problems);
  const nodeEnv = env.NODE_ENV || expected.nodeEnv;
  const mockedServices = Object.keys(env)
    .filter((name) => /^MOCK_[A-Z0-9_]+$/.test(name) && name !== 'MOCK_MODE' && name !== 'MOCK_CONNECTOR_DELAY')
    .filter((name) => readBoolean(env, name, problems))
    .map((name) => name.slice('MOCK_'.length).toLowerCase());

  if (phase === '1') {
    if (realTypes.length > 0) {
      problems.push(`WORKERS=${env.WORKERS} lists real connector types (${realTypes.join(', ')}); Phase 1 runs only mock workers: set WORKERS=mock:10, or use TEST_PHASE=2 for real connectors.`);
    }
    if (mockMode) problems.push('MOCK_MODE=true intercepts service calls, which belongs to Phase 2; Phase 1 makes none: set MOCK_MODE=false.');
  }

  if (phase === '2') {
    if (mockTypes.length > 0) {
      problems.push(`WORKERS=${env.WORKERS} lists mock worker types (${mockTypes.join(', ')}); Phase 2 runs the real connectors against service mocks: set WORKERS=openai:3,ollama:2 (any real types), or use TEST_PHASE=1 for mock workers.`);
    }
    if (!mockMode) {
      problems.push(`MOCK_MODE=${env.MOCK_MODE ?? '(unset)'} would let Phase 2 reach real AI services: set MOCK_MODE=true.`);
    }
  }

  if (phase !== 'production' && nodeEnv !== 'test') {
    problems.push(`NODE_ENV=${nodeEnv} does not belong to a test phase: set NODE_ENV=test, or unset TEST_PHASE to run in production.`);
  }

  if (phase === 'production') {
    if (mockTypes.length > 0) {
      problems.push(`WORKERS=${env.WORKERS} lists mock worker types (${mockTypes.join(', ')}), which production never runs: list real types such as WORKERS=comfyui:5, or set TEST_PHASE=1 to test with mocks.`);
    }
    if (env.WORKER_MODE === 'mock') {
      problems.push('WORKER_MODE=mock is not allowed in production: set WORKER_MODE=real, or set TEST_PHASE=1 to test with mocks.');
    }
    if (mockMode) {
      problems.push('MOCK_MODE=true would answer service calls with mocks in production: set MOCK_MODE=false, or set TEST_PHASE=2 to test against service mocks.');
    }
    for (const service of mockedServices) {
      problems.push(`MOCK_${service.toUpperCase()}=true would mock ${service} in production: remove it, or set TEST_PHASE=2 to test against service mocks.`);
    }
    if (nodeEnv === 'test') {
      problems.push('NODE_ENV=test outside a test phase: set NODE_ENV=production, or set TEST_PHASE=1 or 2.');
    }
  }

  if (problems.length > 0) throw new PhaseConfigError(label, problems);
  return { phase, workers, workerMode, mockMode, nodeEnv, mockedServices };
}

/** Describes a resolved configuration in one line for the start-up log. */
export function describePhase(config: PhaseConfig): string {
  const name = config.phase === 'production' ? 'production' : `Phase ${config.phase}`;
  const workers = config.workers.length > 0 ? formatWorkersSpec(config.workers) : 'none';
  return `${name}: workers ${workers}, worker mode ${config.workerMode}, mock mode ${config.mockMode}, NODE_ENV ${config.nodeEnv}`;
}

function readWorkers(env: NodeJS.ProcessEnv, options: ResolveOptions, example: string, problems: string[]): WorkerGroup[] {
  if (env.WORKERS === undefined || env.WORKERS.trim() === '') {
    if (options.requireWorkers) problems.push(`WORKERS is not set: list the workers to start as type:count pairs, such as WORKERS=${example}.`);
    return [];
  }
  let groups: WorkerGroup[];
  try {
    groups = parseWorkersSpec(env.WORKERS);
  } catch (error) {
    problems.push((error as Error).message);
    return [];
  }

  const known = Object.keys(DEFAULT_CONNECTOR_FACTORIES);
  for (const group of groups.filter((candidate) => !known.includes(candidate.type))) {
    problems.push(`Unknown connector type "${group.type}" in WORKERS=${env.WORKERS}: use one of ${known.join(', ')}.`);
  }
  return groups.filter((group) => known.includes(group.type));
}

function readWorkerMode(
  env: NodeJS.ProcessEnv,
  mockTypes: string[],
  realTypes: string[],
  expected: WorkerMode,
  problems: string[],
): WorkerMode {
  const value = env.WORKER_MODE;
  if (value !== undefined && value !== '' && value !== 'mock' && value !== 'real') {
    problems.push(`WORKER_MODE=${value} is not a worker mode: set WORKER_MODE=${expected} (mock or real).`);
    return expected;
  }

  if (!value) {
    if (realTypes.length > 0) return 'real';
    return mockTypes.length > 0 ? 'mock' : expected;
  }

  // A mode that matches the phase needs no message of its own: the phase's rule on WORKERS
  // already names the types that do not belong.
  const mode = value as WorkerMode;
  if (mode === expected) return mode;
  if (mode === 'mock' && realTypes.length > 0) {
    problems.push(`WORKER_MODE=mock contradicts WORKERS=${env.WORKERS}, which lists real types (${realTypes.join(', ')}): make them agree.`);
  } else if (mode === 'real' && mockTypes.length > 0) {
    problems.push(`WORKER_MODE=real contradicts WORKERS=${env.WORKERS}, which lists mock types (${mockTypes.join(', ')}): make them agree.`);
  } else if (mode !== expected && expected === 'mock') {
    problems.push(`WORKER_MODE=${mode} does not belong to Phase 1: set WORKER_MODE=mock.`);
  } else if (mode !== expected && env.TEST_PHASE === '2') {
    problems.push(`WORKER_MODE=${mode} does not belong to Phase 2: set WORKER_MODE=real.`);
  }
  return mode;
}

function readBoolean(env: NodeJS.ProcessEnv, name: string, problems: string[]): boolean {
  const value = env[name];
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  problems.push(`${name}=${value} is not a boolean: set ${name}=true or ${name}=false.`);
  return false;
}
