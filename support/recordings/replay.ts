import type { ReplyFnResult } from 'nock';

import { scriptedStream } from '../../src/service-mocks/scripted-stream';
import type { ServiceMock } from '../../src/service-mocks/service-mock';
import { decodeBody } from './recording-proxy';
import { displayPath, type Exchange, type Recording, type RecordedResponse } from './recording';
import { requestDifferences, sameRequest, type ComparedRequest } from './request-diff';
import { missingFields } from './shape-diff';

/**
 * Request fields that differ on every run and are not compared: a ComfyUI connector sends a
 * client id of its own with each workflow.
 */
const PER_RUN_FIELDS: Record<string, readonly string[]> = { comfyui: ['body.client_id'] };

/** Status of the reply to a request the recording does not contain; 400 fails the job at once, without retries. */
const MISMATCH_STATUS = 400;

/**
 * Replays one recording through a service's nock scopes. Each request gets the reply of the
 * first unused recorded exchange that it matches in method, path, query and body, so the
 * order of concurrent requests does not matter. A request that matches none gets a 400 reply
 * and is reported with a diff against the closest recorded request. A recorded exchange that
 * no request used is reported too.
 *
 * The scopes catch every GET and POST to the service; the hand-written fixtures are set aside
 * while the replay stands in for them, so the recording is the only source of replies.
 */
export class Replay {
  private readonly used: boolean[];
  private readonly mismatches: string[] = [];

  constructor(
    private readonly recording: Recording,
    private readonly path: string,
  ) {
    this.used = recording.exchanges.map(() => false);
  }

  /** The request fields of this recording's service that differ on every run. */
  private get perRunFields(): readonly string[] {
    return PER_RUN_FIELDS[this.recording.service] ?? [];
  }

  install(mock: ServiceMock): void {
    for (const method of ['GET', 'POST'] as const) {
      mock.intercept(method, /.*/, { persist: true, standIn: true }).query(true).reply((request) => this.answer(mock, request));
    }
  }

  /** Mismatched requests and unused exchanges, each a readable paragraph naming the recording. */
  problems(): string[] {
    const unused = this.recording.exchanges
      .map((exchange, index) => ({ exchange, index }))
      .filter(({ index }) => !this.used[index])
      .map(({ exchange, index }) => `exchange ${index + 1} of the recording ${displayPath(this.path)} (${exchange.request.method} ${exchange.request.path}) was never requested`);
    return [...this.mismatches, ...unused];
  }

  /**
   * Compares each replayed JSON response with the reply of the hand-written fixture for the
   * same request, and describes the fields the recording lacks. Returns an empty string when it
   * lacks none, or when the scenario set no fixture aside for those requests.
   */
  async compareWithHandWritten(mock: ServiceMock): Promise<string> {
    const lines: string[] = [];
    for (const [index, exchange] of this.recording.exchanges.entries()) {
      if (!this.used[index] || !isJsonBody(exchange.response.body)) continue;
      const reply = await mock.setAsideReply(exchange.request.method, exchange.request.path, exchange.request.body);
      if (!reply || !/json/i.test(reply.contentType)) continue;

      const missing = missingFields(JSON.parse(reply.text) as unknown, exchange.response.body);
      if (missing.length === 0) continue;
      lines.push(`  exchange ${index + 1} (${exchange.request.method} ${exchange.request.path}), response:`, ...missing.map((field) => `    - ${field}`));
    }
    if (lines.length === 0) return '';
    return [`The recording ${displayPath(this.path)} lacks fields that the scenario's hand-written fixtures have:`, ...lines].join('\n');
  }

  private async answer(mock: ServiceMock, request: Request): Promise<ReplyFnResult> {
    const sent = await describeRequest(mock.baseUrl, request);
    const ignored = this.perRunFields;
    const index = this.recording.exchanges.findIndex((exchange, candidate) => !this.used[candidate] && sameRequest(sent, exchange.request, ignored));
    if (index >= 0) {
      this.used[index] = true;
      return replyWith(this.recording.exchanges[index].response);
    }

    const repeated = this.recording.exchanges.findIndex((exchange, candidate) => this.used[candidate] && sameRequest(sent, exchange.request, ignored));
    if (repeated >= 0) {
      this.mismatches.push(`the connector sent ${sent.method} ${sent.path} once more than the recording ${displayPath(this.path)} holds: exchange ${repeated + 1} answered the same request before`);
      return mismatchReply(`the recording ${displayPath(this.path)} has no further reply to this request, which it answered before`);
    }

    this.mismatches.push(this.mismatch(sent));
    return mismatchReply(`the request differs from the recording ${displayPath(this.path)}: see the scenario's problems for the diff`);
  }

  /** Describes a request no exchange matched, against the unused exchange most like it. */
  private mismatch(sent: ComparedRequest): string {
    const closest = this.closestUnused(sent);
    const where = `${sent.method} ${sent.path}`;
    if (!closest) {
      return `the connector sent ${where}, but every exchange of the recording ${displayPath(this.path)} was already used`;
    }
    const diff = requestDifferences(sent, closest.exchange.request, this.perRunFields).map((line) => `      ${line}`);
    return [
      `the connector sent ${where}, which no exchange of the recording matches; against exchange ${closest.index + 1}:`,
      `      --- recorded in ${displayPath(this.path)}`,
      '      +++ sent by the connector',
      ...diff,
    ].join('\n');
  }

  private closestUnused(sent: ComparedRequest): { exchange: Exchange; index: number } | null {
    const unused = this.recording.exchanges.map((exchange, index) => ({ exchange, index })).filter(({ index }) => !this.used[index]);
    const samePath = unused.find(({ exchange }) => exchange.request.method === sent.method && exchange.request.path === sent.path);
    return samePath ?? unused[0] ?? null;
  }
}

async function describeRequest(baseUrl: string, request: Request): Promise<ComparedRequest> {
  const url = new URL(request.url);
  const prefix = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const body = Buffer.from(await request.arrayBuffer());
  return {
    method: request.method,
    path: url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : url.pathname,
    query: Object.fromEntries(url.searchParams),
    body: decodeBody(body, request.headers.get('content-type') ?? ''),
  };
}

/** Builds the 400 reply to a request for which the recording has no reply. */
function mismatchReply(message: string): ReplyFnResult {
  return [MISMATCH_STATUS, { error: { message } }, { 'content-type': 'application/json' }];
}

function isJsonBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null;
}

function replyWith(response: RecordedResponse): ReplyFnResult {
  if (response.chunks) return [response.status, scriptedStream(response.chunks), response.headers];
  if (response.base64 !== undefined) return [response.status, Buffer.from(response.base64, 'base64'), response.headers];
  const body = response.body;
  if (body === null || body === undefined) return [response.status, '', response.headers];
  return [response.status, typeof body === 'string' ? body : JSON.stringify(body), response.headers];
}
