import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { PROJECT_ROOT } from '../src/phase/phase-profile';

export type Entry = 'worker' | 'api';

const ENTRY_FILES: Record<Entry, string> = {
  worker: join(PROJECT_ROOT, 'src', 'worker', 'main.ts'),
  api: join(PROJECT_ROOT, 'src', 'api', 'main.ts'),
};

/** Variables a child needs from the suite's environment; phase variables never pass through. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT'];

/**
 * A Conveyor API or worker started as its own process, as `npm run worker` would start it,
 * with exactly the environment the scenario gives it.
 */
export class ConveyorProcess {
  output = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly group: boolean;
  private closed = false;

  /**
   * Starts an entry point directly, or an npm script such as `worker:phase1` in its own process
   * group, so that a signal reaches both npm and the node process it started.
   */
  constructor(start: { entry: Entry } | { script: string }, env: Record<string, string>) {
    const inherited = Object.fromEntries(INHERITED.filter((name) => process.env[name]).map((name) => [name, process.env[name]!]));
    const [command, args] =
      'entry' in start
        ? [process.execPath, ['--require', 'tsx/cjs', ENTRY_FILES[start.entry]]]
        : ['npm', ['run', '--silent', start.script]];
    this.group = 'script' in start;
    this.child = spawn(command, args, {
      cwd: PROJECT_ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: this.group,
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    // 'close' waits for the output pipes, which the node process started by npm keeps open too.
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code) => {
        this.closed = true;
        resolve(code);
      }),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Parsed JSON log lines the process wrote so far; other lines are skipped. */
  logRecords(): Record<string, unknown>[] {
    return this.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.closed) return;
    // npm does not forward signals to the script it runs, so they go to the whole group.
    if (this.group && this.child.pid) {
      process.kill(-this.child.pid, signal);
    } else {
      this.child.kill(signal);
    }
  }

  /** Stops the process with SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 5_000): Promise<number | null> {
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Parses "NAME=value NAME=value" as a scenario writes a configuration. */
export function parseConfiguration(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of text.trim().split(/\s+/).filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`Invalid configuration entry "${pair}": write NAME=value.`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}
