import type { Figures } from './main';

interface Row {
  figure: string;
  conveyor: number | null;
  bullmq: number | null;
  /** The value the target applies to, and whether it is met; null when there is no target. */
  target: { text: string; met: boolean } | null;
}

/** Prints the figures as a Markdown table, the form docs/BENCHMARKS.md keeps. */
export function printTable(figures: Figures): void {
  const rows: Row[] = [];
  for (const [workers, rates] of Object.entries(figures.throughput)) {
    const target = workers === '10' ? { text: 'Conveyor/BullMQ >= 1.3', met: rates.conveyor / rates.bullmq >= 1.3 } : null;
    rows.push({ figure: `throughput, ${workers} worker(s), jobs/s (higher is better)`, ...rates, target });
  }
  for (const [workers, perJob] of Object.entries(figures.redisCpuPerJobUs)) {
    rows.push({ figure: `Redis CPU per job, ${workers} worker(s), µs`, ...perJob, target: null });
    rows.push({ figure: `Node CPU per job, ${workers} worker(s), µs`, ...figures.nodeCpuPerJobUs[workers], target: null });
  }
  rows.push({ figure: 'submission, one call per job, 100 in flight, jobs/s', ...figures.submission, target: null });
  rows.push({
    figure: 'idle pool, submission to start, p50 ms',
    ...figures.startLatency.p50,
    target: { text: 'Conveyor < 2 ms', met: figures.startLatency.p50.conveyor < 2 },
  });
  rows.push({
    figure: 'idle pool, submission to start, p99 ms',
    ...figures.startLatency.p99,
    target: { text: 'Conveyor < 10 ms', met: figures.startLatency.p99.conveyor < 10 },
  });

  const backlogs = Object.keys(figures.claimMs);
  for (const backlog of backlogs) {
    rows.push({ figure: `one claim, ${Number(backlog).toLocaleString('en-US')} waiting, round trip ms`, ...figures.claimMs[backlog], target: null });
  }
  for (const backlog of backlogs) {
    rows.push({ figure: `one claim, ${Number(backlog).toLocaleString('en-US')} waiting, Redis time µs`, ...figures.claimRedisUs[backlog], target: null });
  }
  if (backlogs.length > 1) {
    const smallest = backlogs[0];
    const largest = backlogs[backlogs.length - 1];
    for (const [unit, costs] of [['round trip', figures.claimMs], ['Redis time', figures.claimRedisUs]] as const) {
      const growth = { conveyor: costs[largest].conveyor / costs[smallest].conveyor, bullmq: costs[largest].bullmq / costs[smallest].bullmq };
      rows.push({
        figure: `claim cost growth (${unit}), ${largest} / ${smallest} waiting`,
        ...growth,
        target: { text: 'Conveyor <= 1.1', met: growth.conveyor <= 1.1 },
      });
    }
  }

  if (figures.suite) {
    rows.push({ figure: 'acceptance suite, wall s', conveyor: figures.suite.wallS, bullmq: null, target: { text: '< 30 s', met: figures.suite.wallS < 30 } });
    rows.push({ figure: 'scenario set-up, median ms', conveyor: figures.suite.setupMedianMs, bullmq: null, target: null });
    rows.push({ figure: 'scenario set-up, p90 ms', conveyor: figures.suite.setupP90Ms, bullmq: null, target: null });
  }

  const lines = [
    '| figure | Conveyor | BullMQ | Conveyor / BullMQ | target | met |',
    '|---|---:|---:|---:|---|---|',
    ...rows.map((row) => {
      const ratio = row.conveyor !== null && row.bullmq !== null ? `${(row.conveyor / row.bullmq).toFixed(2)}` : '';
      return `| ${row.figure} | ${format(row.conveyor)} | ${format(row.bullmq)} | ${ratio} | ${row.target?.text ?? ''} | ${row.target ? (row.target.met ? 'yes' : 'no') : ''} |`;
    }),
  ];
  console.log(lines.join('\n'));
}

function format(value: number | null): string {
  if (value === null) return '';
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(3);
}
