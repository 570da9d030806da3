import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { PROJECT_ROOT } from '../src/phase/phase-profile';
import { eventually } from './eventually';

export type EntryPoint = 'worker' | 'api';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const ENTRY_FILES: Record<EntryPoint, string> = {
  worker: join(PROJECT_ROOT, 'src', 'worker', 'main.ts'),
  api: join(PROJECT_ROOT, 'src', 'api', 'main.ts'),
};

/** Variables a child needs from the suite's environment; phase variables never pass through. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT'];

/**
 * A Conveyor API or worker started as its own process, as `npm run worker` would start it,
 * with exactly the environment the scenario gives it. Its JSON log lines are parsed as they
 * arrive.
 */
export class ConveyorProcess {
  /** Standard output and standard error, as written. */
  output = '';
  /** Standard error alone, for failure messages. */
  stderr = '';
  /** Log records from standard output; a line that is not JSON is kept as `{ msg: line }`. */
  readonly records: Record<string, unknown>[] = [];
  readonly exited: Promise<ProcessExit>;
  /** The entry point it runs, or null for an npm script. */
  readonly entryPoint: EntryPoint | null;
  private readonly child: ChildProcess;
  private readonly group: boolean;
  private readonly name: string;
  private exit: ProcessExit | null = null;

  /**
   * Starts an entry point directly, or an npm script such as `worker:phase1` in its own process
   * group, so that a signal reaches both npm and the node process it started.
   */
  constructor(start: { entry: EntryPoint } | { script: string }, env: Record<string, string>) {
    const inherited = Object.fromEntries(INHERITED.filter((name) => process.env[name]).map((name) => [name, process.env[name]!]));
    const [command, args] =
      'entry' in start
        ? [process.execPath, ['--require', 'tsx/cjs', ENTRY_FILES[start.entry]]]
        : ['npm', ['run', '--silent', start.script]];
    this.group = 'script' in start;
    this.entryPoint = 'entry' in start ? start.entry : null;
    this.name = 'entry' in start ? `${start.entry} process` : `"${start.script}" script`;
    this.child = spawn(command, args, {
      cwd: PROJECT_ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: this.group,
    });

    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.output += `${line}\n`;
      this.records.push(parseLine(line));
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      this.stderr += chunk.toString();
    });
    // 'close' waits for the output pipes, which the node process started by npm keeps open too.
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get hasExited(): boolean {
    return this.exit !== null;
  }

  /** Log records whose message is `msg`. */
  logged(msg: string): Record<string, unknown>[] {
    return this.records.filter((record) => record.msg === msg);
  }

  /** Waits for a log record whose message starts with `prefix`; fails early if the process exits. */
  async waitForLog(prefix: string, timeoutMs: number): Promise<Record<string, unknown>> {
    return eventually(
      () => {
        const record = this.records.find((candidate) => String(candidate.msg).startsWith(prefix));
        if (record) return record;
        if (this.exit) throw new Error(`The ${this.name} exited (${describeExit(this.exit)}) before logging "${prefix}":\n${this.stderr}`);
        throw new Error(`The ${this.name} has not logged "${prefix}" yet; stderr:\n${this.stderr}`);
      },
      { timeoutMs, intervalMs: 20 },
    );
  }

  signal(signal: NodeJS.Signals): void {
    if (this.exit) return;
    // Signals go to the whole group, so SIGKILL reaches the node process too. npm also forwards
    // SIGTERM and SIGINT to it, and the process takes the same signal twice in a row as one.
    if (this.group && this.child.pid) {
      process.kill(-this.child.pid, signal);
    } else {
      this.child.kill(signal);
    }
  }

  /** Stops the process with SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 5_000): Promise<ProcessExit> {
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the process if it still runs and waits until it has exited. */
  async kill(): Promise<ProcessExit> {
    this.signal('SIGKILL');
    return this.exited;
  }
}

export function describeExit(exit: ProcessExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
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

function parseLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { msg: line };
  }
}
