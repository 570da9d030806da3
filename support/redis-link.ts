import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP relay in front of Redis that a scenario can sever, so that the clients behind
 * it lose Redis while everything else keeps it. To Redis, a severed client looks like a process
 * that crashed: it stops renewing leases and writes nothing.
 */
export class RedisLink {
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private severed = false;
  private port = 0;

  private constructor(private readonly target: URL) {
    this.server = createServer((client) => this.relay(client));
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts a relay on a free loopback port to the Redis at `target`. */
  static async open(target: string): Promise<RedisLink> {
    const link = new RedisLink(new URL(target));
    await new Promise<void>((resolve) => link.server.listen(0, '127.0.0.1', resolve));
    const address = link.server.address();
    link.port = typeof address === 'object' && address ? address.port : 0;
    return link;
  }

  /** Drops every connection through the relay and rejects new ones until restore(). */
  sever(): void {
    this.severed = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.severed = false;
  }

  async close(): Promise<void> {
    this.sever();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    if (this.severed) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(this.target.port), this.target.hostname);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
}
