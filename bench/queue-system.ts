/**
 * One queue under test, driven the same way for Conveyor and for BullMQ. The bench makes a
 * new instance, on a new key prefix, for every measured run.
 */
export interface QueueSystem {
  readonly name: string;
  /**
   * Submits `jobs` no-op jobs, one call per job with `inFlight` calls outstanding, and returns
   * the submission rate in jobs/s. The jobs stay waiting for the next `drain`.
   */
  submit(jobs: number, inFlight: number): Promise<number>;
  /** Starts `workers` workers on the waiting jobs and returns jobs/s from first start to last completion. */
  drain(workers: number, jobs: number): Promise<number>;
  /** Submits one job at a time to `workers` idle workers; returns ms from submission to processing start. */
  startLatencies(workers: number, samples: number): Promise<number[]>;
  /** Claims `claims` jobs one after the other from the waiting jobs; returns ms per claim. */
  claimCosts(claims: number): Promise<number[]>;
  close(): Promise<void>;
}

/** Resolves after `ms`; the bench uses it to let a pool go idle between latency samples. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `count` calls of `task` with at most `inFlight` outstanding. */
export async function runInFlight(count: number, inFlight: number, task: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(inFlight, count) }, async () => {
    while (next < count) {
      await task(next++);
    }
  });
  await Promise.all(lanes);
}
