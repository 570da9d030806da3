import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';

export interface RedisServerOptions {
  /** Keep an append-only file, so that a restart keeps the data. */
  appendOnly?: boolean;
  /** Reuse this port, to restart a server where it was. */
  port?: number;
  /** Reuse this data directory, to restart a server on its old data. */
  dir?: string;
}

/**
 * A private, throwaway redis-server on a free loopback port. The suite starts one when
 * REDIS_URL is not set, and scenarios that restart Redis start their own.
 */
export class PrivateRedisServer {
  private child: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly ownsDir: boolean,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(options: RedisServerOptions = {}): Promise<PrivateRedisServer> {
    const port = options.port ?? (await findFreePort());
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'conveyor-redis-'));
    const server = new PrivateRedisServer(port, dir, options.dir === undefined);
    await server.launch(options.appendOnly ?? false);
    return server;
  }

  /** Stops the server; with `keepData`, its directory stays for a restart. */
  async stop(keepData = false): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (!keepData && this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(appendOnly: boolean): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', appendOnly ? 'yes' : 'no'];
    if (appendOnly) args.push('--appendfsync', 'always');

    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const failed = new Promise<never>((_resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') {
          reject(new Error('redis-server was not found on PATH: install it (Debian/Ubuntu: "apt-get install -y redis-server", macOS: "brew install redis"), or set REDIS_URL to a Redis the suite may use.'));
        } else {
          reject(new Error(`redis-server failed to start: ${error.message}`));
        }
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} before it was ready:\n${output}`)));
    });
    await Promise.race([waitUntilReady(this.url), failed]);
    child.removeAllListeners('exit');
    child.stdout!.resume();
    child.stderr!.resume();
  }
}

/** Waits until a Redis at `url` replies to PING, for at most 10 s. */
export async function waitUntilReady(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      probe.disconnect();
    }
  }
  throw new Error(`redis-server at ${url} was not ready within 10 s.`);
}

/** Asks the kernel for a free loopback port. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
