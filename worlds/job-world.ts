import { randomBytes } from 'node:crypto';
import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import axios, { type AxiosInstance } from 'axios';
import { expect } from 'chai';
import Redis from 'ioredis';

import { buildApi, type ApiServer } from '../src/api/server';
import type { JobView } from '../src/api/job-view';
import type { Connector } from '../src/connectors/connector';
import { ConnectorManager, DEFAULT_CONNECTOR_FACTORIES } from '../src/connectors/connector-manager';
import { isTerminal, type JobStatus } from '../src/queue/job';
import { JobQueue } from '../src/queue/job-queue';
import type { WorkerOptions } from '../src/worker/worker';
import { connectRedis } from '../src/runtime/redis-client';
import { WorkerPool } from '../src/worker/worker-pool';
import type { ConnectorSettings } from '../src/connectors/connector-settings';
import type { WorkerGroup } from '../src/worker/workers-spec';
import type { ExportingServices } from '../support/exporting-services';
import type { HttpProbeService } from '../support/http-probe';
import { eventually } from '../support/eventually';
import { LogCapture } from '../support/log-capture';
import type { SseClient } from '../support/sse-client';
import { phaseEnvironment, type PhaseEnvironment, type TestPhase } from '../support/phase-environment';
import { ConveyorProcess, type EntryPoint } from '../support/conveyor-process';
import { PhaseFlow } from '../support/phase-flow';
import type { DeclaredDifference } from '../support/phase-diff/phase-comparison';
import { PrivateRedisServer } from '../support/redis-harness';
import { ScenarioServices } from '../support/scenario-services';
import type { ScenarioFixtures } from '../support/recordings/scenario-fixtures';
import { RedisLink } from '../support/redis-link';
import { sharedRedis, suiteRedis } from '../support/suite-redis';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

type Cleanup = { name: string; run: () => Promise<void> };

/**
 * Lease timing of the suite, short so that recovery scenarios finish quickly: a worker renews
 * its lease every heartbeat, and a lease that was not renewed for LEASE_MS is reaped.
 */
export const SUITE_TIMING = {
  leaseMs: 1_500,
  heartbeatMs: 250,
  leaseReapIntervalMs: 200,
  shutdownGraceMs: 2_000,
} as const;

export interface StartWorkersOptions extends Pick<WorkerOptions, 'maxIdleWaitMs' | 'traceMode'> {
  /** The queue the workers use; the scenario's queue when unset. */
  queue?: JobQueue;
  /** Heartbeat and lease renewal interval, in ms. */
  heartbeatMs?: number;
}

/**
 * The state of one scenario: its own key prefix, an in-process API, the workers it started,
 * and the jobs it submitted, by the names the scenario gave them.
 */
export class JobWorld extends World {
  phase: TestPhase | null = null;
  environment: PhaseEnvironment | null = null;
  prefix = '';
  queue: JobQueue | null = null;
  api: ApiServer | null = null;
  http: AxiosInstance | null = null;
  readonly logs = new LogCapture('conveyor');
  readonly pools: WorkerPool[] = [];
  readonly jobIds = new Map<string, string>();
  /** Jobs whose failure a step has checked; any other failed job fails the scenario. */
  readonly checkedFailures = new Set<string>();
  lastResponse: ApiResponse | null = null;
  /** Number of keys under the scenario's prefix before a step that must write nothing. */
  keysBefore = 0;
  /** Every API response body the scenario received, as sent, to check that no secret leaked. */
  readonly responseBodies: string[] = [];
  /** Error of the latest failed worker start-up, for scenarios that expect one. */
  startupError: Error | null = null;
  /** The service mocks of a Phase 2 scenario. */
  services: ScenarioServices | null = null;
  /** The recordings a Phase 2 scenario replays, or the recording it makes. */
  fixtures: ScenarioFixtures | null = null;
  /** Event streams the scenario's client follows, by job name. */
  readonly eventStreams = new Map<string, SseClient>();
  /** Worker processes a scenario expects to refuse their configuration. */
  readonly refusals: { configuration: string; message: string; child: ConveyorProcess; code: number | null }[] = [];
  /** The loopback service that HTTP probe workers call, once a scenario starts one. */
  httpProbe: HttpProbeService | null = null;
  /** The API and worker processes of an export check, once a scenario starts them. */
  exportingServices: ExportingServices | null = null;
  /** The Redis the scenario's system uses: the suite's, or a private server. */
  redisUrl = '';
  /** A private Redis server the scenario restarts; null when it uses the suite's. */
  privateRedis: PrivateRedisServer | null = null;
  /** Relays that can cut workers off from Redis; restored before the workers are stopped. */
  readonly redisLinks: RedisLink[] = [];
  /** Worker and API processes the scenario started, newest last. */
  readonly processes: ConveyorProcess[] = [];
  /** Workers by the role a scenario gave them, such as "stalled". */
  readonly workerRoles = new Map<string, string>();
  /** The service's behaviour in a flow written for both phases, as its Given steps set it. */
  readonly flow = new PhaseFlow();
  /** Differences from the other phase that a @differential scenario expects. */
  readonly declaredPhaseDifferences: DeclaredDifference[] = [];
  private readonly cleanups: Cleanup[] = [];

  constructor(options: IWorldOptions) {
    super(options);
  }

  /**
   * Points the scenario at a deployed API (API_URL, with API_AUTH_TOKEN as its bearer token).
   * Nothing runs in-process and no mock is installed.
   */
  connectToDeployment(apiUrl: string, token: string): void {
    this.http = axios.create({
      baseURL: apiUrl,
      headers: { authorization: `Bearer ${token}` },
      validateStatus: () => true,
      timeout: 30_000,
    });
  }

  /** Returns the submission that SMOKE_JOB describes as JSON. */
  smokeJob(): Record<string, unknown> {
    const text = process.env.SMOKE_JOB;
    if (!text) {
      throw new Error('SMOKE_JOB is not set: give a cheap submission for a real service, such as SMOKE_JOB=\'{"service_required":"ollama","payload":{"operation":"generate","model":"llama3.2","prompt":"Say OK"}}\'.');
    }
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`SMOKE_JOB is not valid JSON: ${(error as Error).message}.`);
    }
  }

  /** Registers a clean-up; After runs them in reverse order of registration. */
  onCleanup(name: string, run: () => Promise<void>): void {
    this.cleanups.push({ name, run });
  }

  /** Runs every clean-up, newest first, and returns the failures instead of stopping at one. */
  async runCleanups(): Promise<string[]> {
    const failures: string[] = [];
    while (this.cleanups.length > 0) {
      const cleanup = this.cleanups.pop()!;
      try {
        await cleanup.run();
      } catch (error) {
        failures.push(`${cleanup.name}: ${(error as Error).message}`);
      }
    }
    return failures;
  }

  /**
   * Starts what a scenario of this phase needs: a fresh prefix, the API and the phase's
   * workers, whose connector settings are the phase's with `overrides` on top.
   */
  async startPhase(phase: TestPhase, overrides: Partial<ConnectorSettings> = {}): Promise<void> {
    this.phase = phase;
    const environment = phaseEnvironment(phase);
    this.environment = { ...environment, connectorSettings: { ...environment.connectorSettings, ...overrides } };
    this.prefix = `test-${randomBytes(6).toString('hex')}`;
    const redis = sharedRedis();
    this.queue = this.createQueue(redis);
    this.redisUrl = suiteRedis.url;

    await this.startApi();
    await this.startWorkers(this.environment.config.workers);
  }

  /** Creates a queue under the scenario's prefix on a Redis connection, with the suite's timing. */
  createQueue(redis: Redis): JobQueue {
    return new JobQueue(redis, { prefix: this.prefix, leaseMs: SUITE_TIMING.leaseMs, retryBackoffMs: 50, maxRetryBackoffMs: 1_000 });
  }

  /** Starts the in-process API, with its lease reaper, on the scenario's queue. */
  async startApi(): Promise<void> {
    const api = buildApi({
      queue: this.requireQueue(),
      phase: this.environment!.config,
      logger: this.logs.logger,
      leaseReapIntervalMs: SUITE_TIMING.leaseReapIntervalMs,
    });
    this.api = api;
    const address = await api.listen({ host: '127.0.0.1', port: 0 });
    this.onCleanup('close the API', () => closeOnce(api));
    this.http = axios.create({ baseURL: address, validateStatus: () => true, timeout: 10_000 });
  }

  /**
   * Turns the service mocks on for this scenario. Called before anything else starts, its
   * clean-up runs after the workers have stopped: it fails the scenario on unused fixtures and
   * unmatched requests, listing them, and turns the mocks off.
   */
  startServiceMocks(settings: ConnectorSettings): ScenarioServices {
    const services = new ScenarioServices(settings);
    this.services = services;
    this.onCleanup('check and remove the service mocks', async () => {
      const problems = services.problems();
      services.stop();
      if (problems.length > 0) throw new Error(problems.join('\n    '));
    });
    return services;
  }

  requireServices(): ScenarioServices {
    if (!this.services) throw new Error('The service mocks are off: the scenario needs the @phase2 tag.');
    return this.services;
  }

  /**
   * Starts in-process workers, each with a connector from the default factories or `connector`,
   * and the phase's connector settings with `overrides` on top.
   */
  async startWorkers(
    groups: readonly WorkerGroup[],
    connector?: () => Connector,
    options: StartWorkersOptions = {},
    overrides: Partial<ConnectorSettings> = {},
  ): Promise<WorkerPool> {
    const factories = connector ? { [groups[0].type]: connector } : DEFAULT_CONNECTOR_FACTORIES;
    const { queue, heartbeatMs, ...workerOptions } = options;
    const pool = new WorkerPool({
      queue: queue ?? this.requireQueue(),
      groups,
      connectors: new ConnectorManager(factories),
      settings: { ...this.environment!.connectorSettings, ...overrides },
      testPhase: this.phase!,
      logger: this.logs.logger,
      worker: {
        heartbeatMs: heartbeatMs ?? SUITE_TIMING.heartbeatMs,
        shutdownGraceMs: SUITE_TIMING.shutdownGraceMs,
        ...workerOptions,
      },
      leaseReapIntervalMs: SUITE_TIMING.leaseReapIntervalMs,
    });
    this.pools.push(pool);
    this.onCleanup('stop the workers', () => pool.stop());
    await pool.start();
    return pool;
  }

  /**
   * Starts a Conveyor process against the scenario's Redis and prefix; it is stopped after the
   * scenario. `env` comes on top of REDIS_URL, QUEUE_PREFIX and LOG_LEVEL.
   */
  startProcess(start: ConstructorParameters<typeof ConveyorProcess>[0], env: Record<string, string>): ConveyorProcess {
    const child = new ConveyorProcess(start, { REDIS_URL: suiteRedis.url, QUEUE_PREFIX: this.prefix, LOG_LEVEL: 'info', ...env });
    this.onCleanup('stop a Conveyor process', async () => {
      await child.stop();
    });
    return child;
  }

  async stopAllWorkers(): Promise<void> {
    for (const link of this.redisLinks) link.restore();
    await Promise.all(this.pools.map((pool) => pool.stop()));
  }

  /**
   * Starts workers whose Redis connections pass through a relay, so that a step can cut them
   * off from Redis as if their process had crashed.
   */
  async startSeverableWorkers(count: number): Promise<{ pool: WorkerPool; link: RedisLink }> {
    const link = await RedisLink.open(this.redisUrl);
    this.onCleanup('close the Redis relay', () => link.close());
    this.redisLinks.push(link);

    const redis = new Redis(link.url, { connectionName: 'conveyor-severable', retryStrategy: () => 100 });
    redis.on('error', () => undefined);
    this.onCleanup('close the severable Redis connection', async () => redis.disconnect());

    const pool = await this.startWorkers([{ type: 'mock', count }], undefined, { queue: this.createQueue(redis) });
    this.onCleanup('reconnect the severed workers', async () => link.restore());
    return { pool, link };
  }

  /** Starts a worker or API process of Phase 1 on the scenario's Redis and prefix. */
  async startSystemProcess(entryPoint: EntryPoint, env: NodeJS.ProcessEnv = {}): Promise<ConveyorProcess> {
    const settings: NodeJS.ProcessEnv = {
      TEST_PHASE: '1',
      NODE_ENV: 'test',
      WORKERS: 'mock:1',
      WORKER_MODE: 'mock',
      MOCK_MODE: 'false',
      REDIS_URL: this.redisUrl,
      QUEUE_PREFIX: this.prefix,
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      LOG_LEVEL: 'info',
      JOB_LEASE_MS: String(SUITE_TIMING.leaseMs),
      WORKER_HEARTBEAT_MS: String(SUITE_TIMING.heartbeatMs),
      LEASE_REAP_INTERVAL_MS: String(SUITE_TIMING.leaseReapIntervalMs),
      WORKER_SHUTDOWN_GRACE_MS: String(SUITE_TIMING.shutdownGraceMs),
      ...env,
    };
    const defined = Object.entries(settings).filter((entry): entry is [string, string] => entry[1] !== undefined);
    const child = new ConveyorProcess({ entry: entryPoint }, Object.fromEntries(defined));
    this.processes.push(child);
    this.onCleanup(`stop the ${entryPoint} process`, async () => {
      await child.kill();
    });
    await child.waitForLog(entryPoint === 'worker' ? 'workers started' : 'API listening', 20_000);
    return child;
  }

  /**
   * Moves the scenario onto a private Redis server with append-only persistence, so that a
   * step can restart it without losing data: the API and workers on the suite's Redis stop,
   * and new ones start on the private server.
   */
  async moveToPrivateRedis(workerCount: number): Promise<void> {
    await this.stopAllWorkers();
    if (this.api) await closeOnce(this.api);

    const server = await PrivateRedisServer.start({ appendOnly: true });
    this.privateRedis = server;
    // A restart replaces the server, so the clean-up stops whichever one is running by then.
    this.onCleanup('stop the private Redis server', async () => {
      await this.privateRedis?.stop();
      this.privateRedis = null;
    });
    this.redisUrl = server.url;

    const redis = connectRedis(server.url, 'conveyor-scenario', this.logs.logger);
    const sharedQueue = this.requireQueue();
    this.onCleanup('close the private Redis connection', async () => {
      this.queue = sharedQueue;
      redis.disconnect();
    });
    this.queue = this.createQueue(redis);

    await this.startApi();
    await this.startWorkers([{ type: 'mock', count: workerCount }]);
  }

  async submit(name: string, body: Record<string, unknown>): Promise<ApiResponse> {
    const response = await this.request('post', '/api/jobs', body);
    if (response.status === 201) this.jobIds.set(name, String(response.body.id));
    return response;
  }

  async job(name: string): Promise<JobView> {
    const response = await this.request<JobView>('get', `/api/jobs/${this.jobId(name)}`);
    if (response.status !== 200) {
      throw new Error(`Reading job "${name}" returned status ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body;
  }

  /**
   * Waits until job `name` has `status` and returns its record. A job that ends in another
   * final status fails the wait at once, with its error, and counts as checked by the step.
   */
  async jobWithStatus(name: string, status: string, timeoutMs = 5_000, intervalMs = 10): Promise<JobView> {
    const job = await eventually(
      async () => {
        const current = await this.job(name);
        if (!isTerminal(current.status as JobStatus)) expect(current.status, `status of job "${name}"`).to.equal(status);
        return current;
      },
      { timeoutMs, intervalMs },
    );
    if (job.status !== status && job.status === 'failed') this.checkedFailures.add(job.id);
    expect(job.status, `status of job "${name}", whose error is ${JSON.stringify(job.error)}`).to.equal(status);
    return job;
  }

  jobId(name: string): string {
    const id = this.jobIds.get(name);
    if (!id) throw new Error(`No job named "${name}" was submitted in this scenario; known: ${[...this.jobIds.keys()].join(', ') || 'none'}.`);
    return id;
  }

  async request<T = Record<string, unknown>>(
    method: 'get' | 'post',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    if (!this.http) throw new Error('The API is not running: the scenario needs a phase tag such as @phase1.');
    const response = await this.http.request({ method, url: path, data: body, headers, transformResponse: recordBody(this.responseBodies) });
    this.lastResponse = { status: response.status, body: response.data as Record<string, unknown> };
    return { status: response.status, body: response.data as T };
  }

  /** Sends a body as it is, so a scenario can send what no well-behaved client would. */
  async requestRaw(method: 'get' | 'post', path: string, body: string, contentType: string): Promise<ApiResponse> {
    if (!this.http) throw new Error('The API is not running: the scenario needs a phase tag such as @phase1.');
    const response = await this.http.request({
      method,
      url: path,
      data: body,
      headers: { 'content-type': contentType },
      transformRequest: [(data: string) => data],
      maxBodyLength: Infinity,
    });
    this.lastResponse = { status: response.status, body: response.data as Record<string, unknown> };
    return this.lastResponse;
  }

  async countScenarioKeys(): Promise<number> {
    let count = 0;
    const queue = this.requireQueue();
    const stream = queue.redis.scanStream({ match: queue.keys.all(), count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) count += keys.length;
    return count;
  }

  /** Deletes every key under the scenario's prefix; it never touches other keys. */
  async deleteScenarioKeys(): Promise<void> {
    const queue = this.requireQueue();
    const stream = queue.redis.scanStream({ match: queue.keys.all(), count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) await queue.redis.unlink(...keys);
    }
  }

  requireQueue(): JobQueue {
    if (!this.queue) throw new Error('The queue is not set up: the scenario needs a phase tag such as @phase1.');
    return this.queue;
  }

  get baseUrl(): string {
    return this.http?.defaults.baseURL ?? '';
  }
}

const closing = new WeakMap<ApiServer, Promise<void>>();

/** Closes an API once, however many clean-ups ask for it. */
function closeOnce(api: ApiServer): Promise<void> {
  if (!closing.has(api)) closing.set(api, api.close());
  return closing.get(api)!;
}

setWorldConstructor(JobWorld);

/** Parses a JSON response body the way axios would, after keeping its text. */
function recordBody(bodies: string[]) {
  return (data: unknown) => {
    if (typeof data !== 'string') return data;
    bodies.push(data);
    try {
      return JSON.parse(data) as unknown;
    } catch {
      return data;
    }
  };
}
