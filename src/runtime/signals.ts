import type { Logger } from '../logger';

/**
 * The same signal again within this time of the first, in ms, is the first one delivered twice:
 * a terminal's Ctrl-C reaches the whole process group, and npm forwards it to its script too.
 */
const DUPLICATE_SIGNAL_MS = 1_000;

/**
 * Runs `stop` on the first SIGTERM or SIGINT and exits when it settles; a second signal exits
 * at once with status 130, unless it is the first one delivered twice.
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let first: { signal: NodeJS.Signals; at: number } | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (first) {
      if (signal === first.signal && Date.now() - first.at < DUPLICATE_SIGNAL_MS) return;
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    first = { signal, at: Date.now() };
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Prints a start-up failure without a stack trace when it is a configuration error, and exits. */
export function exitOnStartupError(error: unknown): never {
  const message = error instanceof Error ? (error.name === 'Error' || error.name === 'PhaseConfigError' ? error.message : error.stack) : String(error);
  process.stderr.write(`Start-up failed: ${message}\n`);
  process.exit(1);
}
