import { cpus, freemem, totalmem, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';

import { PrivateRedisServer } from '../support/redis-harness';
import { BullmqSystem } from './bullmq-system';
import { ConveyorSystem } from './conveyor-system';
import type { QueueSystem } from './queue-system';
import { median, quantile, round } from './stats';
import { timeSuite } from './suite-timing';
import { printTable } from './report';

/** Run sizes, from the environment so that a smoke run can be small. */
const settings = {
  jobs: readCount('BENCH_JOBS', 20_000),
  runs: readCount('BENCH_RUNS', 3),
  warmups: readCount('BENCH_WARMUPS', 1),
  latencySamples: readCount('BENCH_LATENCY_SAMPLES', 300),
  latencyWorkers: readCount('BENCH_LATENCY_WORKERS', 10),
  claimsPerRun: readCount('BENCH_CLAIMS', 200),
  backlogs: (process.env.BENCH_BACKLOGS ?? '1000,10000,100000').split(',').map(Number),
  suiteRuns: readCount('BENCH_SUITE_RUNS', 2),
  submitInFlight: 100,
};

const WARMUP_JOBS = 5_000;

type SystemFactory = (redisUrl: string) => QueueSystem;
const SYSTEMS: Record<'conveyor' | 'bullmq', SystemFactory> = {
  conveyor: (url) => new ConveyorSystem(url),
  bullmq: (url) => new BullmqSystem(url),
};
type SystemName = keyof typeof SYSTEMS;

export interface Figures {
  throughput: Record<string, Record<SystemName, number>>;
  /** CPU time redis-server spent per job while the workers drained the queue, in µs. */
  redisCpuPerJobUs: Record<string, Record<SystemName, number>>;
  /** CPU time of this process (workers, client, bench) per job while draining, in µs. */
  nodeCpuPerJobUs: Record<string, Record<SystemName, number>>;
  submission: Record<SystemName, number>;
  startLatency: { p50: Record<SystemName, number>; p99: Record<SystemName, number> };
  claimMs: Record<string, Record<SystemName, number>>;
  /** Time Redis spent executing commands per claim (INFO commandstats), in µs: the claim's own cost without the round trip. */
  claimRedisUs: Record<string, Record<SystemName, number>>;
  suite: { wallS: number; setupMedianMs: number; setupP90Ms: number; setupMaxMs: number; scenarios: number } | null;
}

async function main(): Promise<void> {
  const server = await PrivateRedisServer.start();
  const admin = new Redis(server.url, { connectionName: 'bench-admin' });
  const runsOf = <T>(values: T[]) => values.slice(settings.warmups);
  log(`Redis ${server.url}; ${settings.warmups} warm-up and ${settings.runs} measured runs of each figure.`);

  try {
    const figures: Figures = { throughput: {}, redisCpuPerJobUs: {}, nodeCpuPerJobUs: {}, submission: { conveyor: 0, bullmq: 0 }, startLatency: { p50: { conveyor: 0, bullmq: 0 }, p99: { conveyor: 0, bullmq: 0 } }, claimMs: {}, claimRedisUs: {}, suite: null };
    const perRun: Record<string, number[]> = {};
    const record = (name: string, value: number) => (perRun[name] ??= []).push(round(value));

    const submissions: Record<SystemName, number[]> = { conveyor: [], bullmq: [] };
    for (const workers of [1, 10]) {
      const rates: Record<SystemName, number[]> = { conveyor: [], bullmq: [] };
      const cpu: Record<SystemName, { redis: number[]; node: number[] }> = { conveyor: { redis: [], node: [] }, bullmq: { redis: [], node: [] } };
      for (let run = 0; run < settings.warmups + settings.runs; run++) {
        for (const name of systemNames()) {
          await admin.flushall();
          const system = SYSTEMS[name](server.url);
          // A warm-up run only has to get the code compiled and the connections open.
          const jobs = run < settings.warmups ? Math.min(settings.jobs, WARMUP_JOBS) : settings.jobs;
          const submitted = await system.submit(jobs, settings.submitInFlight);
          const cpuBefore = await cpuSeconds(admin);
          const drained = await system.drain(workers, jobs);
          const cpuAfter = await cpuSeconds(admin);
          await system.close();
          const redisCpu = ((cpuAfter.redis - cpuBefore.redis) * 1e6) / jobs;
          const nodeCpu = ((cpuAfter.node - cpuBefore.node) * 1e6) / jobs;
          cpu[name].redis.push(redisCpu);
          cpu[name].node.push(nodeCpu);
          submissions[name].push(submitted);
          rates[name].push(drained);
          if (run >= settings.warmups) record(`throughput_${workers}w_${name}`, drained);
          log(
            `throughput, ${workers} worker(s), ${name}, run ${run + 1}: ${Math.round(drained)} jobs/s, CPU per job: Redis ${redisCpu.toFixed(0)} µs, Node ${nodeCpu.toFixed(0)} µs (submitted at ${Math.round(submitted)} jobs/s)`,
          );
        }
      }
      figures.throughput[`${workers}`] = { conveyor: median(runsOf(rates.conveyor)), bullmq: median(runsOf(rates.bullmq)) };
      figures.redisCpuPerJobUs[`${workers}`] = { conveyor: median(runsOf(cpu.conveyor.redis)), bullmq: median(runsOf(cpu.bullmq.redis)) };
      figures.nodeCpuPerJobUs[`${workers}`] = { conveyor: median(runsOf(cpu.conveyor.node)), bullmq: median(runsOf(cpu.bullmq.node)) };
    }
    figures.submission = { conveyor: median(runsOf(submissions.conveyor)), bullmq: median(runsOf(submissions.bullmq)) };

    const latencies: Record<SystemName, { p50: number[]; p99: number[] }> = { conveyor: { p50: [], p99: [] }, bullmq: { p50: [], p99: [] } };
    for (let run = 0; run < settings.warmups + settings.runs; run++) {
      for (const name of systemNames()) {
        await admin.flushall();
        const system = SYSTEMS[name](server.url);
        const samples = await system.startLatencies(settings.latencyWorkers, settings.latencySamples);
        await system.close();
        latencies[name].p50.push(quantile(samples, 0.5));
        latencies[name].p99.push(quantile(samples, 0.99));
        log(`idle start, ${name}, run ${run + 1}: p50 ${quantile(samples, 0.5).toFixed(2)} ms, p99 ${quantile(samples, 0.99).toFixed(2)} ms`);
      }
    }
    for (const name of systemNames()) {
      figures.startLatency.p50[name] = median(runsOf(latencies[name].p50));
      figures.startLatency.p99[name] = median(runsOf(latencies[name].p99));
    }

    for (const backlog of settings.backlogs) {
      figures.claimMs[`${backlog}`] = { conveyor: 0, bullmq: 0 };
      figures.claimRedisUs[`${backlog}`] = { conveyor: 0, bullmq: 0 };
      for (const name of systemNames()) {
        await admin.flushall();
        const system = SYSTEMS[name](server.url);
        const runs = settings.warmups + settings.runs;
        await system.submit(backlog + runs * settings.claimsPerRun, 200);
        const runMedians: number[] = [];
        const serverCosts: number[] = [];
        for (let run = 0; run < runs; run++) {
          await admin.config('RESETSTAT');
          runMedians.push(median(await system.claimCosts(settings.claimsPerRun)));
          serverCosts.push((await commandMicroseconds(admin)) / settings.claimsPerRun);
        }
        await system.close();
        figures.claimMs[`${backlog}`][name] = median(runsOf(runMedians));
        figures.claimRedisUs[`${backlog}`][name] = median(runsOf(serverCosts));
        log(
          `claim with ${backlog} waiting, ${name}: ${runMedians.map((ms) => ms.toFixed(3)).join(', ')} ms, Redis time ${serverCosts.map((us) => us.toFixed(1)).join(', ')} µs`,
        );
      }
    }

    if (settings.suiteRuns > 0) {
      await admin.flushall();
      const walls: number[] = [];
      const setups: number[] = [];
      for (let run = 0; run < settings.suiteRuns; run++) {
        const timing = await timeSuite(join(__dirname, '..'), server.url);
        walls.push(timing.wallMs / 1000);
        setups.push(...timing.setupMs);
        log(`acceptance suite, run ${run + 1}: ${(timing.wallMs / 1000).toFixed(1)} s, ${timing.setupMs.length} scenario set-ups, median ${median(timing.setupMs).toFixed(1)} ms`);
      }
      figures.suite = {
        wallS: median(walls),
        setupMedianMs: median(setups),
        setupP90Ms: quantile(setups, 0.9),
        setupMaxMs: Math.max(...setups),
        scenarios: setups.length / settings.suiteRuns,
      };
    }

    printTable(figures);
    console.log(JSON.stringify({ environment: environment(), settings, figures: roundDeep(figures), runs: perRun }));
  } finally {
    await admin.quit();
    await server.stop();
  }
}

/** Alternates which system goes first, so that neither always runs on a warmer or cooler machine. */
let order = 0;
function systemNames(): SystemName[] {
  order++;
  return order % 2 === 0 ? ['bullmq', 'conveyor'] : ['conveyor', 'bullmq'];
}

/** CPU seconds used so far by redis-server (user + system) and by this process. */
async function cpuSeconds(admin: Redis): Promise<{ redis: number; node: number }> {
  const info = await admin.info('cpu');
  const field = (name: string) => Number(info.match(new RegExp(`^${name}:([\\d.]+)`, 'm'))?.[1] ?? Number.NaN);
  const usage = process.cpuUsage();
  return { redis: field('used_cpu_sys') + field('used_cpu_user'), node: (usage.user + usage.system) / 1e6 };
}

/** Sums the time Redis spent in commands since the last CONFIG RESETSTAT, in µs, leaving out the bench's own INFO and CONFIG. */
async function commandMicroseconds(admin: Redis): Promise<number> {
  const stats = await admin.info('commandstats');
  let total = 0;
  for (const [, command, usec] of stats.matchAll(/^cmdstat_([\w|]+):calls=\d+,usec=(\d+)/gm)) {
    if (!command.startsWith('info') && !command.startsWith('config')) total += Number(usec);
  }
  return total;
}

function environment(): Record<string, unknown> {
  const redisVersion = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)?.[1];
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: round(totalmem() / 2 ** 30, 3),
    freeMemoryGiB: round(freemem() / 2 ** 30, 3),
    loadAverage: loadavg().map((load) => round(load, 3)),
    node: process.version,
    redis: redisVersion,
    bullmq: require('bullmq/package.json').version,
    ioredis: require('ioredis/package.json').version,
  };
}

function roundDeep(value: unknown): unknown {
  if (typeof value === 'number') return round(value);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, roundDeep(inner)]));
  }
  return value;
}

function readCount(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Invalid ${name} "${raw}": use a whole number of 0 or more.`);
  }
  return value;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
