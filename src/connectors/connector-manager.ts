import type { Connector } from './connector';
import type { ConnectorSettings } from './connector-settings';
import { ComfyuiConnector } from './comfyui-connector';
import { MockConnector } from './mock-connector';
import { OllamaConnector } from './ollama-connector';
import { OpenaiConnector } from './openai-connector';

export type ConnectorFactory = (settings: ConnectorSettings) => Connector | Promise<Connector>;

/** Connector types that are mocks; production and Phase 2 reject them. */
export const MOCK_CONNECTOR_TYPES: readonly string[] = ['mock'];

export const DEFAULT_CONNECTOR_FACTORIES: Record<string, ConnectorFactory> = {
  mock: (settings) => new MockConnector(settings.mockDelayMs),
  openai: (settings) => new OpenaiConnector(settings),
  ollama: (settings) => new OllamaConnector(settings),
  comfyui: (settings) => new ComfyuiConnector(settings),
};

/** Turns a worker type from WORKERS into a connector instance. */
export class ConnectorManager {
  constructor(private readonly factories: Record<string, ConnectorFactory> = DEFAULT_CONNECTOR_FACTORIES) {}

  types(): string[] {
    return Object.keys(this.factories);
  }

  async create(type: string, settings: ConnectorSettings): Promise<Connector> {
    const factory = this.factories[type];
    if (!factory) {
      throw new Error(`Unknown connector type "${type}" in WORKERS: use one of ${this.types().join(', ')}.`);
    }

    try {
      return await factory(settings);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`The ${type} connector failed to initialise: ${reason}`, { cause: error });
    }
  }
}
