import nock from 'nock';

/** A request that no scope matched, as the suite and the worker report it. */
export interface UnmatchedRequest {
  method: string;
  url: string;
}

/**
 * Checks whether a host that nock passes (`host:port`) is a loopback address. The API, Redis
 * and a test's own servers live there, and every other address is the real network.
 */
export function isLoopbackHost(hostWithPort: string): boolean {
  const host = hostWithPort.replace(/^\[([^\]]+)\](:\d+)?$/, '$1').replace(/^([^:]+):\d+$/, '$1').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Returns the `host:port` of a URL, with the scheme's default port filled in, as nock passes hosts to its matcher. */
function hostAndPort(url: URL): string {
  return `${url.hostname.toLowerCase()}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

/**
 * Turns the service mocks on and off for one process. While on, nock replies to HTTP requests,
 * the real network is denied with loopback allowed, and every request that no scope matched
 * is recorded with its method and URL.
 */
export class NetworkGuard {
  private readonly unmatchedRequests: UnmatchedRequest[] = [];
  private readonly allowedHosts = new Set<string>();
  private active = false;

  private readonly recordUnmatched = (request: Request) => {
    const url = new URL(request.url);
    if (isLoopbackHost(url.host) || this.allowedHosts.has(hostAndPort(url))) return;
    this.unmatchedRequests.push({ method: request.method, url: `${url.origin}${url.pathname}` });
  };

  get isActive(): boolean {
    return this.active;
  }

  /**
   * Starts intercepting. Loopback is allowed in one matcher because a second
   * `nock.enableNetConnect` call replaces the first instead of adding to it.
   */
  start(): void {
    if (this.active) return;
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
    nock.enableNetConnect((host) => isLoopbackHost(host) || this.allowedHosts.has(host.toLowerCase()));
    nock.emitter.on('no match', this.recordUnmatched);
    this.active = true;
  }

  /**
   * Lets requests to the host of one real service through until stop(). Only the recording of
   * a service's fixtures calls it, for that service's base URL alone.
   */
  allowService(baseUrl: string): void {
    this.allowedHosts.add(hostAndPort(new URL(baseUrl)));
  }

  /** Requests no scope matched since start() or the last clearUnmatched(), loopback excluded. */
  unmatched(): UnmatchedRequest[] {
    return [...this.unmatchedRequests];
  }

  clearUnmatched(): void {
    this.unmatchedRequests.length = 0;
  }

  /** Removes every scope, cancels delayed replies and stops intercepting, so the real HTTP stack is back. */
  stop(): void {
    if (!this.active) return;
    nock.emitter.removeListener('no match', this.recordUnmatched);
    nock.abortPendingRequests();
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
    this.allowedHosts.clear();
    this.clearUnmatched();
    this.active = false;
  }
}
