import type { Connector, ConnectorJob } from '../src/connectors/connector';

export const NOOP_SERVICE = 'noop';

/** Runs every job instantly with a null result and reports each start to the bench. */
export class NoopConnector implements Connector {
  readonly type = 'noop';
  readonly services = [NOOP_SERVICE];

  constructor(private readonly onStart: (job: ConnectorJob) => void) {}

  async process(job: ConnectorJob): Promise<unknown> {
    this.onStart(job);
    return null;
  }
}
