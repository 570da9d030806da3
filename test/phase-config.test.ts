import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { PhaseConfigError, resolvePhase } from '../src/phase/phase-config';

const PHASE_1 = { TEST_PHASE: '1', WORKERS: 'mock:10', WORKER_MODE: 'mock', MOCK_MODE: 'false', NODE_ENV: 'test' };
const PHASE_2 = { TEST_PHASE: '2', WORKERS: 'openai:3,ollama:2', WORKER_MODE: 'real', MOCK_MODE: 'true', NODE_ENV: 'test' };
const PRODUCTION = { WORKERS: 'comfyui:5', WORKER_MODE: 'real', MOCK_MODE: 'false', NODE_ENV: 'production' };

/** Returns the problems resolvePhase lists, or fails when it accepts the environment. */
function problems(env: NodeJS.ProcessEnv, requireWorkers = true): string[] {
  try {
    resolvePhase(env, { requireWorkers });
  } catch (error) {
    assert.ok(error instanceof PhaseConfigError, String(error));
    return error.problems;
  }
  return assert.fail(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('resolvePhase accepts each column of the phase table', () => {
  it('Phase 1', () => {
    assert.deepEqual(resolvePhase(PHASE_1, { requireWorkers: true }), {
      phase: '1',
      workers: [{ type: 'mock', count: 10 }],
      workerMode: 'mock',
      mockMode: false,
      nodeEnv: 'test',
      mockedServices: [],
    });
  });

  it('Phase 2', () => {
    const config = resolvePhase(PHASE_2, { requireWorkers: true });
    assert.equal(config.phase, '2');
    assert.equal(config.workerMode, 'real');
    assert.equal(config.mockMode, true);
    assert.deepEqual(config.workers, [{ type: 'openai', count: 3 }, { type: 'ollama', count: 2 }]);
  });

  it('Phase 2 with one service mocked by name', () => {
    assert.deepEqual(resolvePhase({ ...PHASE_2, MOCK_OPENAI: 'true' }, { requireWorkers: true }).mockedServices, ['openai']);
  });

  it('production', () => {
    const config = resolvePhase(PRODUCTION, { requireWorkers: true });
    assert.equal(config.phase, 'production');
    assert.equal(config.mockMode, false);
    assert.equal(config.nodeEnv, 'production');
  });

  it('production without NODE_ENV', () => {
    assert.equal(resolvePhase({ WORKERS: 'ollama:1' }, { requireWorkers: true }).nodeEnv, 'production');
  });

  it('an API without WORKERS', () => {
    assert.deepEqual(resolvePhase({ TEST_PHASE: '1', NODE_ENV: 'test' }, { requireWorkers: false }).workers, []);
  });

  it('derives the worker mode from WORKERS', () => {
    assert.equal(resolvePhase({ TEST_PHASE: '1', WORKERS: 'mock:1' }, { requireWorkers: true }).workerMode, 'mock');
    assert.equal(resolvePhase({ WORKERS: 'comfyui:1' }, { requireWorkers: true }).workerMode, 'real');
  });
});

describe('resolvePhase rejects mixed columns', () => {
  const cases: [string, NodeJS.ProcessEnv, RegExp[]][] = [
    ['TEST_PHASE=3', { ...PHASE_1, TEST_PHASE: '3' }, [/TEST_PHASE=3 is not a phase: set TEST_PHASE=1 .*TEST_PHASE=2 .*unset it/]],
    ['TEST_PHASE=phase1', { ...PHASE_1, TEST_PHASE: 'phase1' }, [/TEST_PHASE=phase1 is not a phase/]],
    ['Phase 1 with a real worker type', { ...PHASE_1, WORKERS: 'mock:2,openai:1', WORKER_MODE: '' }, [/WORKERS=mock:2,openai:1 lists real connector types \(openai\); Phase 1 runs only mock workers: set WORKERS=mock:10/]],
    ['Phase 1 with only real workers', { ...PHASE_1, WORKERS: 'ollama:2', WORKER_MODE: '' }, [/lists real connector types \(ollama\)/]],
    ['Phase 1 with MOCK_MODE=true', { ...PHASE_1, MOCK_MODE: 'true' }, [/MOCK_MODE=true .* set MOCK_MODE=false/]],
    ['Phase 1 with WORKER_MODE=real', { ...PHASE_1, WORKER_MODE: 'real' }, [/WORKER_MODE=real contradicts WORKERS=mock:10, which lists mock types \(mock\): make them agree/]],
    ['Phase 1 with WORKER_MODE=real and no workers', { TEST_PHASE: '1', WORKER_MODE: 'real', NODE_ENV: 'test' }, [/WORKERS is not set/, /WORKER_MODE=real does not belong to Phase 1: set WORKER_MODE=mock/]],
    ['Phase 1 with NODE_ENV=production', { ...PHASE_1, NODE_ENV: 'production' }, [/NODE_ENV=production does not belong to a test phase: set NODE_ENV=test/]],
    ['Phase 2 with a mock worker type', { ...PHASE_2, WORKERS: 'mock:2', WORKER_MODE: '' }, [/WORKERS=mock:2 lists mock worker types \(mock\); Phase 2 runs the real connectors/]],
    ['Phase 2 with mock and real types', { ...PHASE_2, WORKERS: 'openai:1,mock:1' }, [/lists mock worker types \(mock\)/]],
    ['Phase 2 without MOCK_MODE', { ...PHASE_2, MOCK_MODE: undefined }, [/MOCK_MODE=\(unset\) would let Phase 2 reach real AI services: set MOCK_MODE=true/]],
    ['Phase 2 with MOCK_MODE=false', { ...PHASE_2, MOCK_MODE: 'false' }, [/MOCK_MODE=false would let Phase 2 reach real AI services/]],
    ['Phase 2 with WORKER_MODE=mock', { ...PHASE_2, WORKER_MODE: 'mock' }, [/WORKER_MODE=mock contradicts WORKERS=openai:3,ollama:2/]],
    ['production with a mock worker type', { ...PRODUCTION, WORKERS: 'mock:1', WORKER_MODE: '' }, [/WORKERS=mock:1 lists mock worker types \(mock\), which production never runs/]],
    ['production with WORKER_MODE=mock', { ...PRODUCTION, WORKER_MODE: 'mock' }, [/WORKER_MODE=mock contradicts WORKERS=comfyui:5/, /WORKER_MODE=mock is not allowed in production/]],
    ['production with MOCK_MODE=true', { ...PRODUCTION, MOCK_MODE: 'true' }, [/MOCK_MODE=true would answer service calls with mocks in production/]],
    ['production with MOCK_OPENAI=true', { ...PRODUCTION, MOCK_OPENAI: 'true' }, [/MOCK_OPENAI=true would mock openai in production/]],
    ['production with MOCK_COMFYUI=true', { ...PRODUCTION, MOCK_COMFYUI: 'true' }, [/MOCK_COMFYUI=true would mock comfyui in production/]],
    ['production with NODE_ENV=test', { ...PRODUCTION, NODE_ENV: 'test' }, [/NODE_ENV=test outside a test phase/]],
    ['WORKER_MODE not a mode', { ...PHASE_1, WORKER_MODE: 'fake' }, [/WORKER_MODE=fake is not a worker mode: set WORKER_MODE=mock/]],
    ['MOCK_MODE not a boolean', { ...PHASE_2, MOCK_MODE: 'yes' }, [/MOCK_MODE=yes is not a boolean: set MOCK_MODE=true or MOCK_MODE=false/, /would let Phase 2 reach real AI services/]],
    ['a worker without WORKERS', { TEST_PHASE: '1', NODE_ENV: 'test' }, [/WORKERS is not set: .* WORKERS=mock:10/]],
    ['a malformed WORKERS', { ...PHASE_1, WORKERS: 'mock=10' }, [/Invalid WORKERS entry "mock=10"/]],
    ['Phase 1 with a mistyped worker type', { ...PHASE_1, WORKERS: 'mokc:2' }, [/Unknown connector type "mokc" in WORKERS=mokc:2: use one of mock, openai, ollama, comfyui/]],
    ['Phase 1 with real workers from the environment', { ...PHASE_1, WORKERS: 'openai:1' }, [/WORKERS=openai:1 lists real connector types \(openai\)/]],
  ];

  for (const [name, env, expected] of cases) {
    it(name, () => {
      const listed = problems(env);
      assert.equal(listed.length, expected.length, listed.join('\n'));
      expected.forEach((pattern, index) => assert.match(listed[index], pattern));
    });
  }

  it('lists every problem of production with mocks', () => {
    const listed = problems({ WORKERS: 'mock:3', WORKER_MODE: 'mock', MOCK_MODE: 'true', MOCK_OLLAMA: 'true', NODE_ENV: 'test' });
    const variables = listed.map((problem) => problem.split('=')[0]);
    assert.deepEqual(variables, ['WORKERS', 'WORKER_MODE', 'MOCK_MODE', 'MOCK_OLLAMA', 'NODE_ENV']);
  });

  it('names the phase in the message', () => {
    assert.throws(() => resolvePhase({ ...PHASE_1, MOCK_MODE: 'true' }, { requireWorkers: true }), /^PhaseConfigError: Invalid configuration for Phase 1 \(TEST_PHASE=1\):\n {2}- MOCK_MODE=true/);
    assert.throws(() => resolvePhase({ ...PRODUCTION, MOCK_MODE: 'true' }, { requireWorkers: true }), /Invalid configuration for production \(TEST_PHASE unset\)/);
  });
});
