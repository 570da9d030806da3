import { DEFAULT_MOCK_DELAY_MS } from './mock-connector';

/** The connectors' settings from the environment. Secrets stay here and are never logged. */
export interface ConnectorSettings {
  mockDelayMs: number;
  requestTimeoutMs: number;
  openai: { baseUrl: string; apiKey: string | null };
  ollama: { host: string };
  comfyui: { baseUrl: string };
}

export function readConnectorSettings(env: NodeJS.ProcessEnv): ConnectorSettings {
  return {
    mockDelayMs: readMilliseconds(env, 'MOCK_CONNECTOR_DELAY', DEFAULT_MOCK_DELAY_MS),
    requestTimeoutMs: readMilliseconds(env, 'CONNECTOR_TIMEOUT_MS', 120_000),
    openai: {
      baseUrl: env.OPENAI_BASE_URL || 'https://api.openai.com/v1',
      apiKey: env.OPENAI_API_KEY || null,
    },
    ollama: { host: env.OLLAMA_HOST || 'http://127.0.0.1:11434' },
    comfyui: { baseUrl: env.COMFYUI_BASE_URL || 'http://127.0.0.1:8188' },
  };
}

export function readMilliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Invalid ${name}="${raw}": use a whole number of milliseconds, 0 or more.`);
  }
  return value;
}
