import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { eventually } from './eventually';

export type EntryPoint = 'worker' | 'api';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const ENTRY_POINTS: Record<EntryPoint, string> = {
  worker: 'src/worker/main.ts',
  api: 'src/api/main.ts',
};

/**
 * A worker or API process started the way `npm run worker` and `npm run api` start it (tsx,
 * without type checking), whose JSON log lines the scenario reads.
 */
export class SystemProcess {
  /** Log records from standard output; lines that are not JSON are kept as `{ msg: line }`. */
  readonly records: Record<string, unknown>[] = [];
  /** Standard error, for failure messages. */
  stderr = '';
  readonly exited: Promise<ProcessExit>;
  private exit: ProcessExit | null = null;

  private constructor(
    readonly entryPoint: EntryPoint,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    createInterface({ input: child.stdout! }).on('line', (line) => this.records.push(parseLine(line)));
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  static start(entryPoint: EntryPoint, env: NodeJS.ProcessEnv): SystemProcess {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', ENTRY_POINTS[entryPoint]], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new SystemProcess(entryPoint, child);
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
        if (this.exit) throw new Error(`The ${this.entryPoint} process exited (${describeExit(this.exit)}) before logging "${prefix}":\n${this.stderr}`);
        throw new Error(`The ${this.entryPoint} process has not logged "${prefix}" yet; stderr:\n${this.stderr}`);
      },
      { timeoutMs, intervalMs: 20 },
    );
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Kills the process if it still runs and waits until it has exited. */
  async stop(): Promise<void> {
    if (!this.exit) this.child.kill('SIGKILL');
    await this.exited;
  }
}

export function describeExit(exit: ProcessExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

function parseLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { msg: line };
  }
}
