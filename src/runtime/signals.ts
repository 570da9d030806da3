import type { Logger } from '../logger';

/**
 * Runs `stop` on the first SIGTERM or SIGINT and exits when it settles; a second signal exits
 * at once with status 130.
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
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
