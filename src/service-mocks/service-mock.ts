import nock from 'nock';

/** A request that a fixture replied to, recorded so a test can check what the connector sent. */
export interface RecordedCall {
  method: string;
  /** Path below the service's base URL, such as `/chat/completions`. */
  path: string;
  query: Record<string, string>;
  /** The JSON request body, or null when there was none or it was not JSON. */
  body: Record<string, unknown> | null;
}

export interface FailureReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * The nock scopes of one AI service, rooted at the base URL its connector uses. Each fixture
 * adds a scope of its own, so installing one never removes another, and remove() takes away
 * only this service's interceptors.
 */
export class ServiceMock {
  readonly calls: RecordedCall[] = [];
  private readonly scopes: nock.Scope[] = [];
  /** Scopes pending() leaves out: set-aside fixtures and those of a stand-in, which checks its own use. */
  private readonly unchecked = new Set<nock.Scope>();
  private readonly interceptors: nock.Interceptor[] = [];
  private readonly origin: string;
  private readonly prefix: string;
  /** Origin of the fixtures that `intercept()` adds: the service's, until setAside(). */
  private fixtureOrigin: string;

  /** `requiredHeaders` must be on every request, such as the API key; a request without them matches no scope. */
  constructor(
    readonly service: string,
    readonly baseUrl: string,
    private readonly requiredHeaders: Record<string, string> = {},
  ) {
    const url = new URL(baseUrl);
    this.origin = url.origin;
    this.fixtureOrigin = url.origin;
    this.prefix = url.pathname.replace(/\/+$/, '');
  }

  /**
   * Sets the fixtures aside, for a recording or a replay that replies instead: later ones go
   * to an origin under the reserved `.invalid` top-level domain, which no request reaches,
   * and count as neither used nor pending.
   */
  setAside(): void {
    this.fixtureOrigin = `http://${this.service}.set-aside.invalid`;
  }

  /**
   * Starts a fixture for `METHOD path`, which the caller finishes with `.reply(...)`. A
   * persisted fixture replies to any number of requests and counts as used after the first.
   * Once the fixtures are set aside, a new one goes to an origin that no request reaches,
   * unless it is `standIn`: part of what replaces them.
   */
  intercept(method: 'GET' | 'POST', path: string | RegExp, options: { persist?: boolean; standIn?: boolean } = {}): nock.Interceptor {
    const origin = options.standIn ? this.origin : this.fixtureOrigin;
    const scope = nock(origin, { reqheaders: this.requiredHeaders });
    if (options.standIn || origin !== this.origin) this.unchecked.add(scope);
    if (options.persist) scope.persist();
    scope.on('request', (request: Request, _interceptor: unknown, body: string) => this.record(request, body));
    this.scopes.push(scope);
    const interceptor = scope.intercept(typeof path === 'string' ? `${this.prefix}${path}` : prefixed(this.prefix, path), method);
    this.interceptors.push(interceptor);
    return interceptor;
  }

  /** Replies to `METHOD path` with an error status and body, once or `times` times. */
  failWith(method: 'GET' | 'POST', path: string, reply: FailureReply, times = 1): nock.Scope {
    return this.intercept(method, path).times(times).reply(reply.status, reply.body as nock.Body, reply.headers);
  }

  /** Fails `METHOD path` the way a connection to a stopped server fails. */
  refuseConnection(method: 'GET' | 'POST', path: string, times = 1): nock.Scope {
    // The interceptor passes the error on to the client only when it is an Error with a code
    // and an errno, as Node.js raises them. It takes any other value for a response.
    const host = new URL(this.origin).host;
    const error = Object.assign(new Error(`connect ECONNREFUSED ${host}`), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
    return this.intercept(method, path).times(times).replyWithError(error);
  }

  /** Replies to `METHOD path` with a body that is not JSON at all. */
  replyMalformed(method: 'GET' | 'POST', path: string, body: string): nock.Scope {
    return this.intercept(method, path).reply(200, body, { 'content-type': 'application/json' });
  }

  /**
   * Sends a request to the fixtures that were set aside and returns their reply, so a replay
   * can compare a recorded response with the hand-written one. Returns null when no set-aside
   * fixture is waiting for `METHOD path`, and sends nothing then.
   */
  async setAsideReply(method: string, path: string, body: unknown): Promise<{ status: number; contentType: string; text: string } | null> {
    if (this.fixtureOrigin === this.origin) return null;
    const url = new URL(`${this.fixtureOrigin}${this.prefix}${path}`);
    const waiting = this.scopes.flatMap((scope) => scope.pendingMocks()).some((mock) => mock === `${method} ${url.origin}:80${url.pathname}`);
    if (!waiting) return null;

    const response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', ...this.requiredHeaders },
      body: body === null || body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
  }

  /** Calls to `path`, oldest first. */
  callsTo(method: string, path: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method && call.path === path);
  }

  /** Fixtures that were never used, described as `METHOD URL`. */
  pending(): string[] {
    return this.scopes
      .filter((scope) => !this.unchecked.has(scope))
      .flatMap((scope) => scope.pendingMocks())
      .map((mock) => `${this.service}: ${mock}`);
  }

  /** Removes this service's interceptors and recorded calls, but leaves other services' in place. */
  remove(): void {
    for (const interceptor of this.interceptors) nock.removeInterceptor(interceptor);
    for (const scope of this.scopes) scope.removeAllListeners('request');
    this.interceptors.length = 0;
    this.scopes.length = 0;
    this.unchecked.clear();
    this.calls.length = 0;
  }

  private record(request: Request, body: string): void {
    const url = new URL(request.url);
    const path = url.pathname.startsWith(this.prefix) ? url.pathname.slice(this.prefix.length) : url.pathname;
    this.calls.push({ method: request.method, path, query: Object.fromEntries(url.searchParams), body: parseBody(body) });
  }
}

/** Puts the base URL's path in front of a path pattern that is anchored at its start. */
function prefixed(prefix: string, pattern: RegExp): RegExp {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped}${pattern.source.replace(/^\^/, '')}`, pattern.flags);
}

function parseBody(body: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
