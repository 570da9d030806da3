import { normaliseComfyuiBaseUrl } from '../connectors/service-urls';
import { ServiceMock } from './service-mock';
import { TINY_PNG_BASE64 } from './openai-mock';

export interface ComfyuiImage {
  filename: string;
  subfolder: string;
  type: string;
}

/** Builds the reply of `POST /prompt` that queued a workflow. */
export function promptQueued(promptId: string, number = 1): Record<string, unknown> {
  return { prompt_id: promptId, number, node_errors: {} };
}

/** Builds the history of a prompt that finished, in ComfyUI's format, with its images under node `outputNode`. */
export function promptHistory(promptId: string, images: readonly ComfyuiImage[], outputNode = '9'): Record<string, unknown> {
  return {
    [promptId]: {
      prompt: [1, promptId, {}, { client_id: 'conveyor' }, [outputNode]],
      outputs: { [outputNode]: { images } },
      status: {
        status_str: 'success',
        completed: true,
        messages: [
          ['execution_start', { prompt_id: promptId, timestamp: 1_767_225_600_000 }],
          ['execution_cached', { nodes: [], prompt_id: promptId, timestamp: 1_767_225_600_001 }],
          ['execution_success', { prompt_id: promptId, timestamp: 1_767_225_601_000 }],
        ],
      },
      meta: { [outputNode]: { node_id: outputNode, display_node: outputNode, parent_node: null, real_node_id: outputNode } },
    },
  };
}

/** Builds the history of a prompt whose node `nodeId` raised an exception while running. */
export function promptFailed(promptId: string, nodeId: string, nodeType: string, message: string): Record<string, unknown> {
  return {
    [promptId]: {
      prompt: [1, promptId, {}, { client_id: 'conveyor' }, [nodeId]],
      outputs: {},
      status: {
        status_str: 'error',
        completed: false,
        messages: [
          ['execution_start', { prompt_id: promptId, timestamp: 1_767_225_600_000 }],
          ['execution_error', { prompt_id: promptId, node_id: nodeId, node_type: nodeType, executed: [], exception_message: message, exception_type: 'RuntimeError', traceback: [], current_inputs: {}, current_outputs: {} }],
        ],
      },
      meta: {},
    },
  };
}

/** Builds the 400 reply of `POST /prompt` for a workflow that fails validation. */
export function promptRejected(message: string): Record<string, unknown> {
  return {
    error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: message, extra_info: {} },
    node_errors: {},
  };
}

/** Fixtures of the ComfyUI server at COMFYUI_BASE_URL. */
export class ComfyuiMock extends ServiceMock {
  constructor(baseUrl: string) {
    super('comfyui', normaliseComfyuiBaseUrl(baseUrl));
  }

  queuesPrompt(promptId: string): void {
    this.intercept('POST', '/prompt').reply(200, promptQueued(promptId));
  }

  rejectsPrompt(message: string): void {
    this.failWith('POST', '/prompt', { status: 400, body: promptRejected(message) });
  }

  /** Lists the prompt as still running for `pendingPolls` polls, then as finished with `images`. */
  finishesPrompt(promptId: string, images: readonly ComfyuiImage[], pendingPolls = 0): void {
    if (pendingPolls > 0) this.intercept('GET', `/history/${promptId}`).times(pendingPolls).reply(200, {});
    this.intercept('GET', `/history/${promptId}`).reply(200, promptHistory(promptId, images));
  }

  /** Lists the prompt as still running, however often it is polled. */
  keepsRunning(promptId: string): void {
    this.intercept('GET', `/history/${promptId}`, { persist: true }).reply(200, {});
  }

  failsPrompt(promptId: string, nodeType: string, message: string): void {
    this.intercept('GET', `/history/${promptId}`).reply(200, promptFailed(promptId, '3', nodeType, message));
  }

  /** Accepts the removal of an abandoned prompt: `POST /queue` to delete it, `POST /interrupt` to stop it. */
  dropsPrompt(): void {
    this.intercept('POST', '/queue').reply(200);
    this.intercept('POST', '/interrupt').reply(200);
  }

  /** Serves an output file through `GET /view`. */
  servesImage(image: ComfyuiImage, data: Buffer = Buffer.from(TINY_PNG_BASE64, 'base64')): void {
    this.intercept('GET', '/view').query({ filename: image.filename, subfolder: image.subfolder, type: image.type }).reply(200, data, { 'content-type': 'image/png' });
  }
}
