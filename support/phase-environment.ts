import { readConnectorSettings, type ConnectorSettings } from '../src/connectors/connector-settings';
import { resolvePhase, type PhaseConfig } from '../src/phase/phase-config';
import { loadPhaseProfile } from '../src/phase/phase-profile';

export type TestPhase = '1' | '2';

export interface PhaseEnvironment {
  config: PhaseConfig;
  connectorSettings: ConnectorSettings;
  env: NodeJS.ProcessEnv;
}

/**
 * Resolves a test phase the way a worker process would: the committed profile, with the
 * environment on top. A configuration that mixes phases fails the scenario with its message.
 */
export function phaseEnvironment(phase: TestPhase): PhaseEnvironment {
  const env = loadPhaseProfile({ ...process.env, TEST_PHASE: phase });
  return {
    config: resolvePhase(env, { requireWorkers: true }),
    connectorSettings: readConnectorSettings(env),
    env,
  };
}
