import { isTerminal, type Job } from '../../src/queue/job';
import type { JobWorld } from '../../worlds/job-world';
import { eventually } from '../eventually';
import { jobHistory, statusesOf } from '../job-history';
import { readJobTrace } from '../traces/job-trace';
import { jobLines } from './job-lines';
import { spanLines } from './span-lines';

/** How long the snapshot waits for a job to finish and for the span of its last attempt, in ms. */
const SETTLE_TIMEOUT_MS = 5_000;

/**
 * Renders every job the scenario named, sorted by name: its record, its status history and
 * its spans, normalized so that the rows of both phases can be compared line by line.
 */
export async function snapshotLines(world: JobWorld): Promise<string[]> {
  if (!world.queue) return [];
  const queue = world.queue;

  const lines: string[] = [];
  for (const name of [...world.jobIds.keys()].sort()) {
    const id = world.jobIds.get(name)!;
    const job = await settledJob(world, id);
    lines.push(...jobLines(name, job, statusesOf(await jobHistory(queue, id))));
    if (job) lines.push(...spanLines(name, job.service, readJobTrace(job).spans));
  }
  return lines;
}

/**
 * Waits until the job has finished and the span of its last attempt has ended, as the trace
 * steps do. A job that does not finish in time, as after a failed step, is taken as it is.
 */
async function settledJob(world: JobWorld, id: string): Promise<Job | null> {
  let latest: Job | null = null;
  try {
    await eventually(
      async () => {
        latest = await world.requireQueue().get(id);
        if (!latest) throw new Error(`job ${id} is not in Redis`);
        if (!isTerminal(latest.status)) throw new Error(`job ${id} is still ${latest.status}`);
        if (latest.attempt > 0) readJobTrace(latest).processSpan(latest.attempt);
      },
      { timeoutMs: SETTLE_TIMEOUT_MS },
    );
  } catch {
    // The snapshot shows the unfinished job, and the scenario's own steps report why it did not finish.
  }
  return latest;
}
