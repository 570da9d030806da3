import type { ConnectorSettings } from '../src/connectors/connector-settings';
import { ComfyuiMock } from '../src/service-mocks/comfyui-mock';
import { NetworkGuard, type UnmatchedRequest } from '../src/service-mocks/network-guard';
import { OllamaMock } from '../src/service-mocks/ollama-mock';
import { OpenaiMock } from '../src/service-mocks/openai-mock';
import type { ServiceMock } from '../src/service-mocks/service-mock';
import type { ServiceName } from './service-scenarios';

/** A source of a service's replies other than the scenario's hand-written fixtures: a replay or a recording. */
export interface StandIn {
  /** Describes what went wrong, one paragraph per problem. */
  problems(): string[];
}

/** One guard per process, because nock's interception and its net-connect rule are global. */
const guard = new NetworkGuard();

/**
 * The AI services of one Phase 2 scenario, mocked by nock at the base URLs the connectors
 * use. The scenario's steps install fixtures; afterwards every fixture must have been used and
 * every request must have matched one, unless a step acknowledged it.
 */
export class ScenarioServices {
  readonly openai: OpenaiMock;
  readonly ollama: OllamaMock;
  readonly comfyui: ComfyuiMock;
  private readonly acknowledged: UnmatchedRequest[] = [];
  private readonly standIns = new Map<ServiceName, StandIn>();

  constructor(settings: ConnectorSettings) {
    guard.start();
    this.openai = new OpenaiMock(settings.openai.baseUrl, settings.openai.apiKey ?? '');
    this.ollama = new OllamaMock(settings.ollama.host);
    this.comfyui = new ComfyuiMock(settings.comfyui.baseUrl);
  }

  get all(): ServiceMock[] {
    return [this.openai, this.ollama, this.comfyui];
  }

  /**
   * Lets a recording or a replay reply for `service` instead of the hand-written fixtures
   * that the scenario's steps install: those are set aside, and the stand-in reports the
   * service's problems.
   */
  standIn(service: ServiceName, standIn: StandIn): void {
    this[service].setAside();
    this.standIns.set(service, standIn);
  }

  /** Lets requests reach a real service's host: the base URL's `host:port`. Only a recording does this. */
  allowRealService(baseUrl: string): void {
    guard.allowService(baseUrl);
  }

  /** Requests that matched no fixture, in order, including acknowledged ones. */
  unmatched(): UnmatchedRequest[] {
    return guard.unmatched();
  }

  /** Marks the unmatched requests to `method url` as expected by the scenario; returns how many there were. */
  acknowledgeUnmatched(method: string, url: string): number {
    const matching = guard.unmatched().filter((request) => request.method === method && request.url === url);
    this.acknowledged.push(...matching);
    return matching.length;
  }

  /** Lists unused fixtures and unmatched requests that no step acknowledged, one line each. */
  problems(): string[] {
    const pending = this.all.flatMap((service) => service.pending()).map((mock) => `the fixture ${mock} was never used`);
    const standIns = [...this.standIns.values()].flatMap((standIn) => standIn.problems());
    const unexpected = guard
      .unmatched()
      .filter((request) => !this.acknowledged.some((known) => known.method === request.method && known.url === request.url))
      .map((request) => `no fixture matched ${request.method} ${request.url}`);
    return [...pending, ...standIns, ...unexpected];
  }

  stop(): void {
    for (const service of this.all) service.remove();
    guard.stop();
  }
}
