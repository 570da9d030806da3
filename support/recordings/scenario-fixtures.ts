import type { ConnectorSettings } from '../../src/connectors/connector-settings';
import { asRecord } from '../../src/connectors/json-values';
import { normaliseComfyuiBaseUrl, normaliseOllamaHost, normaliseOpenaiBaseUrl } from '../../src/connectors/service-urls';
import type { ScenarioServices } from '../scenario-services';
import type { ServiceName } from '../service-scenarios';
import { RecordingProxy } from './recording-proxy';
import { ageInDays, displayPath, maxAgeDays, newRecording, readRecording, recordingDir, recordingPath, writeRecording } from './recording';
import { Replay } from './replay';
import { requestScrubNotes, scrubRecording, secretsOf } from './scrub';

export const SERVICES: readonly ServiceName[] = ['openai', 'ollama', 'comfyui'];

/** The tag of a scenario whose exchanges with a real service can be recorded. */
export const RECORDABLE_TAG = '@recordable';

export interface ScenarioIdentity {
  name: string;
  /** The feature file, relative to the project root. */
  uri: string;
  tags: readonly string[];
}

/** The fixture settings of a run, from FIXTURE_RECORD, FIXTURE_DIR, FIXTURE_MAX_AGE_DAYS and FIXTURE_STRICT. */
export interface FixtureSettings {
  /** The service being recorded, or null when the run replays. */
  recording: ServiceName | null;
  dir: string;
  maxAgeDays: number;
  /** True to fail a scenario whose recording is past its age, false to warn. */
  strict: boolean;
}

export function readFixtureSettings(env: NodeJS.ProcessEnv = process.env): FixtureSettings {
  const recording = env.FIXTURE_RECORD || null;
  if (recording !== null && !SERVICES.includes(recording as ServiceName)) {
    throw new Error(`Invalid FIXTURE_RECORD="${recording}": name one service, ${SERVICES.join(', ')}.`);
  }
  const strict = env.FIXTURE_STRICT ?? '';
  if (!['', 'true', 'false'].includes(strict)) throw new Error(`Invalid FIXTURE_STRICT="${strict}": use true or false.`);
  return { recording: recording as ServiceName | null, dir: recordingDir(env), maxAgeDays: maxAgeDays(env), strict: strict === 'true' };
}

let runSettings: FixtureSettings | null = null;

/** Returns the fixture settings of this run, read from the environment on the first call. */
export function fixtureSettings(): FixtureSettings {
  runSettings ??= readFixtureSettings();
  return runSettings;
}

/** Returns a service's base URL in the form its connector calls it, so recorded paths start below it. */
function serviceBaseUrl(settings: ConnectorSettings, service: ServiceName): string {
  if (service === 'openai') return normaliseOpenaiBaseUrl(settings.openai.baseUrl);
  if (service === 'ollama') return normaliseOllamaHost(settings.ollama.host);
  return normaliseComfyuiBaseUrl(settings.comfyui.baseUrl);
}

function pointedAt(settings: ConnectorSettings, service: ServiceName, url: string): Partial<ConnectorSettings> {
  if (service === 'openai') return { openai: { ...settings.openai, baseUrl: url } };
  if (service === 'ollama') return { ollama: { host: url } };
  return { comfyui: { baseUrl: url } };
}

/** Recordings written in this process, so two scenarios that would share a file are caught. */
const written = new Map<string, string>();

/**
 * The fixtures of one Phase 2 scenario besides the hand-written ones. While a service is
 * recorded, the scenario gets a proxy in front of the real service. Otherwise it gets a replay
 * for each service that has a recording of this scenario.
 */
export class ScenarioFixtures {
  /** Recordings past their age, as messages naming the file and the command to re-record it. */
  readonly warnings: string[] = [];
  /** The recordings this scenario replays, as paths relative to the project root. */
  readonly replayed: string[] = [];
  private proxy: RecordingProxy | null = null;
  private readonly replays: { replay: Replay; service: ServiceName }[] = [];

  constructor(
    private readonly scenario: ScenarioIdentity,
    private readonly settings: FixtureSettings,
  ) {}

  /** True when this scenario records `service` from the real service. */
  records(service: ServiceName): boolean {
    return this.settings.recording === service && this.scenario.tags.includes(RECORDABLE_TAG) && this.scenario.tags.includes(`@${service}`);
  }

  /**
   * Puts the recording proxy or the replays in place before the workers start, and returns the
   * connector settings that point a recorded service's workers at the proxy.
   */
  async prepare(services: ScenarioServices, connectors: ConnectorSettings): Promise<Partial<ConnectorSettings>> {
    let overrides: Partial<ConnectorSettings> = {};
    for (const service of SERVICES) {
      if (this.records(service)) {
        overrides = { ...overrides, ...(await this.startRecording(services, connectors, service)) };
      } else {
        this.replayIfRecorded(services, service);
      }
    }
    return overrides;
  }

  /** Describes the fields each replayed recording lacks against the hand-written fixtures; empty when none. */
  async compareWithHandWritten(services: ScenarioServices): Promise<string> {
    const reports = await Promise.all(this.replays.map(({ replay, service }) => replay.compareWithHandWritten(services[service])));
    return reports.filter((report) => report !== '').join('\n\n');
  }

  /** Stops the recording proxy, if there is one; the exchanges it recorded stay available. */
  async stopRecording(): Promise<void> {
    await this.proxy?.stop();
  }

  /**
   * Writes the recording of a scenario whose steps passed, with its secrets scrubbed. Returns
   * the file and a note for each request that scrubbing changed, or null when the scenario
   * recorded nothing.
   */
  async finish(passed: boolean, environment: NodeJS.ProcessEnv = process.env): Promise<{ path: string; notes: string[] } | null> {
    const proxy = this.proxy;
    if (!proxy) return null;
    this.proxy = null;
    await proxy.stop();
    if (!passed || proxy.exchanges.length === 0) return null;

    const service = this.settings.recording!;
    const path = recordingPath(this.settings.dir, service, this.scenario.name);
    const recording = { ...newRecording(service, this.scenario.name, this.scenario.uri), exchanges: proxy.exchanges };
    const secrets = secretsOf(environment);
    const scrubbed = scrubRecording(recording, secrets);
    writeRecording(path, scrubbed);
    return { path, notes: requestScrubNotes(recording, scrubbed, secrets) };
  }

  private async startRecording(services: ScenarioServices, connectors: ConnectorSettings, service: ServiceName): Promise<Partial<ConnectorSettings>> {
    const path = recordingPath(this.settings.dir, service, this.scenario.name);
    const other = written.get(path);
    if (other && other !== this.scenario.uri) {
      throw new Error(`Two recordable scenarios are named "${this.scenario.name}" (${other} and ${this.scenario.uri}), so both would record to ${displayPath(path)}: rename one.`);
    }
    written.set(path, this.scenario.uri);

    const target = serviceBaseUrl(connectors, service);
    const mock = services[service];
    const proxy = new RecordingProxy(target, ({ request }) => mock.calls.push({ method: request.method, path: request.path, query: request.query, body: asRecord(request.body) }));
    await proxy.start();
    this.proxy = proxy;

    services.allowRealService(target);
    services.standIn(service, {
      problems: () => (proxy.exchanges.length === 0 ? [`no exchange with ${service} was recorded, because the scenario sent no request or none reached ${target}`] : []),
    });
    return pointedAt(connectors, service, proxy.url);
  }

  private replayIfRecorded(services: ScenarioServices, service: ServiceName): void {
    const path = recordingPath(this.settings.dir, service, this.scenario.name);
    const recording = readRecording(path);
    if (!recording) return;
    if (recording.service !== service) {
      throw new Error(`The recording ${displayPath(path)} is of ${recording.service}, but it lies in the ${service} directory: move it or re-record it.`);
    }

    const age = ageInDays(recording);
    if (age > this.settings.maxAgeDays) {
      const message = `The recording ${displayPath(path)} is ${age} days old, past the limit of ${this.settings.maxAgeDays} days (FIXTURE_MAX_AGE_DAYS): re-record it with "npm run fixtures:record -- ${service}".`;
      if (this.settings.strict) throw new Error(`${message} FIXTURE_STRICT=true fails the scenario until then.`);
      this.warnings.push(message);
    }

    const replay = new Replay(recording, path);
    replay.install(services[service]);
    services.standIn(service, replay);
    this.replayed.push(`${displayPath(path)} (recorded ${recording.recordedAt})`);
    this.replays.push({ replay, service });
  }
}
