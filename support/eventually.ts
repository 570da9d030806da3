export interface EventuallyOptions {
  /** Give up after this long, in ms. */
  timeoutMs?: number;
  /** Pause between two tries, in ms. */
  intervalMs?: number;
}

/**
 * Retries an assertion until it passes or the time is up, then rethrows its last failure,
 * so a wait never hides what was wrong.
 */
export async function eventually<T>(check: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;

  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) {
        if (error instanceof Error) error.message = `Still failing after ${timeoutMs} ms: ${error.message}`;
        throw error;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
