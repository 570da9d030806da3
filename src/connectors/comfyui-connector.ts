import { randomUUID } from 'node:crypto';

import { abortableDelay } from './abortable-delay';
import { summariseBinary } from './binary-output';
import type { Connector, ConnectorJob, JobContext } from './connector';
import { ConnectorError } from './connector-error';
import type { ConnectorSettings } from './connector-settings';
import { malformedResponse, type RequestTarget } from './http-errors';
import { asRecord } from './json-values';
import { PayloadReader } from './payload-fields';
import { ServiceClient } from './service-client';
import { normaliseComfyuiBaseUrl } from './service-urls';

export const COMFYUI_SERVICE = 'comfyui';

/** How long a cancelled job waits for ComfyUI to drop its prompt, in ms. */
const DROP_PROMPT_TIMEOUT_MS = 5_000;

/** An output file as ComfyUI's history lists it, with the node and output kind it came from. */
interface OutputFile {
  node_id: string;
  output: string;
  filename: string;
  subfolder: string;
  type: string;
}

/**
 * Runs `comfyui` jobs on the ComfyUI server at COMFYUI_BASE_URL (a full URL or host:port):
 * queues the workflow with `POST /prompt`, polls `GET /history/{prompt_id}` until the outputs
 * appear, and fetches each output file with `GET /view`.
 *
 * The payload:
 * - `workflow`: the workflow graph in ComfyUI's API format (node id -> `{ class_type, inputs }`), required
 * - `poll_interval_ms`: the pause between two history polls (default 1000)
 * - `max_wait_ms`: how long to wait for the outputs before a retryable timeout (default 10 minutes)
 * - `inline_outputs`: true to carry each file of at most MAX_INLINE_BYTES as base64 in the
 *   result (default false)
 *
 * A job that is cancelled, or fails for another reason than the prompt's own error, while its
 * prompt runs deletes the prompt from the server's queue (`POST /queue`) and interrupts it
 * (`POST /interrupt` with its `prompt_id`).
 *
 * The result is `{ prompt_id, files }`. Each file has `node_id`, `output` (such as `images`),
 * `filename`, `subfolder`, `type`, `content_type`, `size_bytes`, `sha256` and, when inlined,
 * `data_base64`. Larger files stay on the ComfyUI server, so the result never makes a Redis
 * hash of megabytes.
 */
export class ComfyuiConnector implements Connector {
  readonly type = 'comfyui';
  readonly services = [COMFYUI_SERVICE];
  private readonly client: ServiceClient;
  /** Identifies this connector to ComfyUI, which uses it to address progress messages. */
  private readonly clientId = randomUUID();

  constructor(settings: ConnectorSettings) {
    this.client = new ServiceClient({
      service: COMFYUI_SERVICE,
      baseUrl: normaliseComfyuiBaseUrl(settings.comfyui.baseUrl),
      timeoutMs: settings.requestTimeoutMs,
    });
  }

  async process(job: ConnectorJob, context: JobContext): Promise<unknown> {
    const payload = new PayloadReader(COMFYUI_SERVICE, job.payload);
    const workflow = payload.object('workflow');
    if (Object.keys(workflow).length === 0) throw payload.invalid('"workflow" must be a workflow graph in API format, with at least one node');
    const pollIntervalMs = payload.integer('poll_interval_ms', 1_000, 10, 60_000);
    const maxWaitMs = payload.integer('max_wait_ms', 10 * 60_000, 100, 24 * 60 * 60_000);
    const inline = payload.boolean('inline_outputs', false);

    const promptId = await this.queuePrompt(workflow, context);
    let files: OutputFile[];
    try {
      files = await this.waitForOutputs(promptId, pollIntervalMs, maxWaitMs, context);
    } catch (error) {
      // A cancellation can arrive as the abort signal or as a rejected progress report, and a
      // retry queues a new prompt, so any end but the prompt's own failure drops it.
      const promptFailed = error instanceof ConnectorError && error.kind === 'execution_error';
      if (!promptFailed) await this.dropPrompt(promptId, context);
      throw error;
    }

    const fetched = [];
    for (const [index, file] of files.entries()) {
      await context.reportProgress(90 + Math.floor((index * 10) / files.length), `fetching output ${index + 1} of ${files.length}`);
      fetched.push(await this.fetchFile(file, inline, context));
    }
    return { prompt_id: promptId, files: fetched };
  }

  async close(): Promise<void> {
    this.client.close();
  }

  private async queuePrompt(workflow: Record<string, unknown>, context: JobContext): Promise<string> {
    const path = '/prompt';
    const body = { prompt: workflow, client_id: this.clientId };
    const response = asRecord(await this.client.requestJson({ method: 'POST', path, body, signal: context.signal, logger: context.logger }));

    const promptId = response?.prompt_id;
    if (typeof promptId !== 'string' || promptId === '') throw malformedResponse(this.target('POST', path), 200, '"prompt_id" is missing');
    await context.reportProgress(0, `queued as prompt ${promptId}`);
    return promptId;
  }

  /** Polls the prompt's history until it lists outputs, fails, or `maxWaitMs` passes. */
  private async waitForOutputs(promptId: string, pollIntervalMs: number, maxWaitMs: number, context: JobContext): Promise<OutputFile[]> {
    const path = `/history/${encodeURIComponent(promptId)}`;
    const target = this.target('GET', path);
    const startedAt = Date.now();

    for (let poll = 1; ; poll++) {
      const history = asRecord(await this.client.requestJson({ method: 'GET', path, route: '/history/{prompt_id}', signal: context.signal, logger: context.logger }));
      if (!history) throw malformedResponse(target, 200, 'the body is not a JSON object');

      const entry = asRecord(history[promptId]);
      if (entry) {
        const failure = executionError(entry);
        if (failure) throw new ConnectorError(`${target.service} prompt ${promptId} failed: ${failure}`, { service: target.service, kind: 'execution_error', retryable: false });
        const status = asRecord(entry.status);
        if (status?.completed !== false) return outputFiles(target, entry);
      }

      const waitedMs = Date.now() - startedAt;
      if (waitedMs >= maxWaitMs) {
        throw new ConnectorError(`${target.service} prompt ${promptId} timed out: no outputs after ${maxWaitMs} ms`, { service: target.service, kind: 'timeout', retryable: true });
      }
      await context.reportProgress(Math.min(89, poll), `waiting for the outputs of prompt ${promptId} (poll ${poll})`);
      await abortableDelay(pollIntervalMs, context.signal);
    }
  }

  /**
   * Removes an abandoned prompt from the server's queue and interrupts it if it is running, so
   * a job that ended stops using the GPU. Failures are logged and ignored, because the job has
   * ended either way.
   */
  private async dropPrompt(promptId: string, context: JobContext): Promise<void> {
    const signal = AbortSignal.timeout(DROP_PROMPT_TIMEOUT_MS);
    try {
      await this.client.requestBytes({ method: 'POST', path: '/queue', body: { delete: [promptId] }, signal, logger: context.logger });
      await this.client.requestBytes({ method: 'POST', path: '/interrupt', body: { prompt_id: promptId }, signal, logger: context.logger });
      context.logger.info({ promptId }, 'abandoned ComfyUI prompt removed from the queue and interrupted');
    } catch (error) {
      context.logger.warn({ promptId, err: error }, 'could not remove the abandoned ComfyUI prompt; it may keep running on the server');
    }
  }

  private async fetchFile(file: OutputFile, inline: boolean, context: JobContext): Promise<Record<string, unknown>> {
    const query = { filename: file.filename, subfolder: file.subfolder, type: file.type };
    const { data, contentType } = await this.client.requestBytes({ method: 'GET', path: '/view', query, signal: context.signal, logger: context.logger });
    return { ...file, content_type: contentType, ...summariseBinary(data, inline) };
  }

  private target(method: string, path: string): RequestTarget {
    return { service: COMFYUI_SERVICE, method, url: `${this.client.baseUrl}${path}` };
  }
}

/** Returns the message of a failed execution (`status.status_str` "error"), or null. */
function executionError(entry: Record<string, unknown>): string | null {
  const status = asRecord(entry.status);
  if (status?.status_str !== 'error') return null;

  const messages = Array.isArray(status.messages) ? status.messages : [];
  for (const message of messages) {
    if (Array.isArray(message) && message[0] === 'execution_error') {
      const data = asRecord(message[1]);
      const node = data?.node_type ? `${String(data.node_type)} (node ${String(data.node_id)}): ` : '';
      return `${node}${String(data?.exception_message ?? 'execution error').trim()}`;
    }
  }
  return 'execution error';
}

/** Lists the files in a history entry's outputs: every output array item that names a file. */
function outputFiles(target: RequestTarget, entry: Record<string, unknown>): OutputFile[] {
  const outputs = asRecord(entry.outputs);
  if (!outputs) throw malformedResponse(target, 200, 'the history entry of the prompt has no "outputs"');

  const files: OutputFile[] = [];
  for (const [nodeId, nodeOutput] of Object.entries(outputs)) {
    for (const [output, items] of Object.entries(asRecord(nodeOutput) ?? {})) {
      if (!Array.isArray(items)) continue;
      for (const item of items) {
        const record = asRecord(item);
        if (typeof record?.filename !== 'string') continue;
        files.push({
          node_id: nodeId,
          output,
          filename: record.filename,
          subfolder: typeof record.subfolder === 'string' ? record.subfolder : '',
          type: typeof record.type === 'string' ? record.type : 'output',
        });
      }
    }
  }
  return files;
}
