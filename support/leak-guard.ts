import { createHook } from 'node:async_hooks';
import { relative } from 'node:path';

/** The guard's own polling timers, which are not leaks. */
const ownTimers = new WeakSet<object>();

/** Resource types that keep a process alive or hold a connection open. */
const WATCHED_TYPES = new Set(['Timeout', 'TCPWRAP', 'TCPSERVERWRAP', 'PIPEWRAP', 'PIPESERVERWRAP', 'PROCESSWRAP', 'UDPWRAP']);

const DESCRIPTIONS: Record<string, string> = {
  Timeout: 'a timer',
  TCPWRAP: 'a TCP connection',
  TCPSERVERWRAP: 'a listening TCP server',
  PIPEWRAP: 'a pipe',
  PIPESERVERWRAP: 'a listening pipe server',
  PROCESSWRAP: 'a child process',
  UDPWRAP: 'a UDP socket',
};

interface TrackedResource {
  type: string;
  resource: object;
  /** Creation stack of the resource; V8 formats it only when it is read. */
  origin: Error;
}

interface PeerAddress {
  address?: string;
  port?: number;
}

/**
 * Records the timers, sockets, servers and child processes created while a scenario runs,
 * through async_hooks, and lists those still open after its clean-up, each named by the code
 * that created it. Resources created before the scenario (the suite's Redis client) are not
 * watched, and neither are Cucumber's own step timers.
 */
class LeakGuard {
  private readonly live = new Map<number, TrackedResource>();
  private tracking = false;
  private readonly hook: ReturnType<typeof createHook>;

  constructor() {
    this.hook = createHook({
      init: (asyncId, type, _triggerId, resource) => {
        if (!this.tracking || !WATCHED_TYPES.has(type)) return;
        this.live.set(asyncId, { type, resource, origin: captureOrigin() });
      },
      destroy: (asyncId) => {
        this.live.delete(asyncId);
      },
    });
    this.hook.enable();
  }

  /** Starts watching the resources of a new scenario. */
  beginScenario(): void {
    this.live.clear();
    this.tracking = true;
  }

  /**
   * Waits up to `settleMs` for closing sockets and processes to finish closing, then describes
   * every resource of the scenario that is still open.
   */
  async leftovers(settleMs = 2_000): Promise<string[]> {
    const deadline = Date.now() + settleMs;
    let found = this.describeOpen();
    while (found.length > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => ownTimers.add(setTimeout(resolve, 20)));
      found = this.describeOpen();
    }
    this.tracking = false;
    this.live.clear();
    return found;
  }

  private describeOpen(): string[] {
    const open: string[] = [];
    for (const { type, resource, origin } of this.live.values()) {
      const stack = origin.stack ?? '';
      if (isIgnored(type, resource, stack)) continue;
      open.push(`${DESCRIPTIONS[type] ?? type}${peerOf(type, resource)} is still open, created at ${creationSite(stack)}`);
    }
    return open;
  }
}

function captureOrigin(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const origin = new Error('created here');
  Error.stackTraceLimit = limit;
  return origin;
}

function frames(stack: string): string[] {
  return stack
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at ') && !line.includes('node:') && !line.includes('leak-guard.ts'));
}

function isIgnored(type: string, resource: object, stack: string): boolean {
  // An unreferenced timer keeps nothing alive, such as the idle timeout of a keep-alive socket.
  if (type === 'Timeout' && typeof (resource as { hasRef?: () => boolean }).hasRef === 'function' && !(resource as { hasRef: () => boolean }).hasRef()) {
    return true;
  }
  if (ownTimers.has(resource)) return true;
  const callers = frames(stack).filter((frame) => !frame.includes('<anonymous>'));
  return callers.length > 0 && callers.every((frame) => frame.includes('node_modules/@cucumber/'));
}

/** Names the first frame in the project's own code, else the first frame of a dependency. */
function creationSite(stack: string): string {
  const callers = frames(stack);
  const own = callers.find((frame) => !frame.includes("node_modules") && !frame.includes("<anonymous>"));
  const site = own ?? callers[0] ?? 'an unknown place';
  return site.replace(/^at /, '').replace(process.cwd() + '/', '').replace(/\((\/[^)]+)\)/, (_match, path: string) => `(${relative(process.cwd(), path)})`);
}

function peerOf(type: string, resource: object): string {
  if (type !== 'TCPWRAP') return '';
  const handle = resource as { getpeername?: (out: PeerAddress) => number };
  const peer: PeerAddress = {};
  if (typeof handle.getpeername !== 'function' || handle.getpeername(peer) !== 0 || !peer.port) return '';
  return ` to ${peer.address}:${peer.port}`;
}

export const leakGuard = new LeakGuard();
