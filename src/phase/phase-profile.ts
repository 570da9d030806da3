import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** The project root, where the committed .env.phase1 and .env.phase2 profiles live. */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');

/**
 * Returns the environment with the profile of TEST_PHASE (`.env.phase1` or `.env.phase2`)
 * filled in underneath it: a variable already set in the environment wins over the file.
 * Any other TEST_PHASE value is left for the phase resolver to reject.
 */
export function loadPhaseProfile(env: NodeJS.ProcessEnv, root = PROJECT_ROOT): NodeJS.ProcessEnv {
  const phase = env.TEST_PHASE;
  if (phase !== '1' && phase !== '2') return { ...env };

  const path = join(root, `.env.phase${phase}`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`Cannot read the Phase ${phase} profile ${path} (${reason}): restore it with "git checkout -- .env.phase${phase}", or unset TEST_PHASE.`);
  }

  return { ...parseEnv(text), ...env };
}
