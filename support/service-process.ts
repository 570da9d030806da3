import { spawn, type ChildProcess } from 'node:child_process';

import { PROJECT_ROOT } from '../src/phase/phase-profile';
import { eventually } from './eventually';

/**
 * A Conveyor entry point started with `npm run <script>` in a process group of its own, with
 * every line it writes kept, so that a scenario can read its logs and check them for secrets.
 */
export class ServiceProcess {
  readonly lines: string[] = [];
  private readonly closed: Promise<number | null>;

  private constructor(
    readonly script: string,
    private readonly child: ChildProcess,
  ) {
    let pending = '';
    const collect = (chunk: Buffer) => {
      pending += chunk.toString();
      const complete = pending.split('\n');
      pending = complete.pop()!;
      this.lines.push(...complete.filter((line) => line !== ''));
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    this.closed = new Promise((resolve) =>
      child.once('close', (code) => {
        if (pending !== '') this.lines.push(pending);
        resolve(code);
      }),
    );
  }

  static start(script: string, env: NodeJS.ProcessEnv): ServiceProcess {
    const child = spawn('npm', ['run', '--silent', script], { cwd: PROJECT_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    return new ServiceProcess(script, child);
  }

  /** Parsed JSON log records; lines that are not JSON, such as npm's own, are skipped. */
  records(): Record<string, unknown>[] {
    return this.lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /** Waits for a log record whose message starts with `msg` and returns it; fails early when the process exits. */
  async waitForRecord(msg: string, timeoutMs: number): Promise<Record<string, unknown>> {
    return eventually(
      () => {
        const record = this.records().find((candidate) => String(candidate.msg).startsWith(msg));
        if (record) return record;
        if (this.child.exitCode !== null) throw new Error(`npm run ${this.script} exited with code ${this.child.exitCode} before logging "${msg}":\n${this.lines.join('\n')}`);
        throw new Error(`npm run ${this.script} has not logged "${msg}" yet; its output so far:\n${this.lines.join('\n')}`);
      },
      { timeoutMs, intervalMs: 50 },
    );
  }

  /**
   * Sends SIGTERM to the service, which is the node process whose pid its log lines carry, or
   * else to the whole process group. Then waits until every process of the group has closed
   * its output, and kills the group after `timeoutMs`. Returns npm's exit code, which is the
   * service's.
   */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    const pid = this.records().find((record) => typeof record.pid === 'number')?.pid as number | undefined;
    this.signal('SIGTERM', pid);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([this.closed, timeout]);
    clearTimeout(timer);
    if (outcome !== 'timeout') return outcome;

    this.signal('SIGKILL');
    await this.closed;
    throw new Error(`npm run ${this.script} did not stop within ${timeoutMs} ms of SIGTERM and was killed.`);
  }

  /** Signals one process, or the whole process group when `pid` is not given. */
  private signal(signal: NodeJS.Signals, pid?: number): void {
    try {
      process.kill(pid ?? -this.child.pid!, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}
