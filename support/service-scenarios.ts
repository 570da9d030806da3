import { defineParameterType } from '@cucumber/cucumber';

import type { ComfyuiImage } from '../src/service-mocks/comfyui-mock';
import { openaiError } from '../src/service-mocks/openai-mock';
import type { FailureReply } from '../src/service-mocks/service-mock';
import type { ScenarioServices } from './scenario-services';

export type ServiceName = 'openai' | 'ollama' | 'comfyui';

/** Service names as the feature files write them. */
const SERVICE_NAMES: Record<string, ServiceName> = { OpenAI: 'openai', Ollama: 'ollama', ComfyUI: 'comfyui' };

defineParameterType({
  name: 'service',
  regexp: /OpenAI|Ollama|ComfyUI/,
  transformer: (name: string): ServiceName => SERVICE_NAMES[name],
});

export const CHAT_MODEL = 'gpt-4o-mini';
export const LOCAL_MODEL = 'llama3.2';
export const PROMPT_ID = 'a9c4f0de-5b1e-4d8a-9f43-0c1d2e3f4a5b';
export const OUTPUT_IMAGE: ComfyuiImage = { filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output' };

/** A small text-to-image workflow in ComfyUI's API format. */
export const WORKFLOW = {
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd_xl_base_1.0.safetensors' } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a lighthouse at dusk', clip: ['4', 1] } },
  '3': { class_type: 'KSampler', inputs: { seed: 42, steps: 20, cfg: 7, model: ['4', 0], positive: ['6', 0] } },
  '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'ComfyUI', images: ['3', 0] } },
};

/**
 * The parts of a service that the service-independent scenarios use: the job they submit, the
 * first request that job makes (where failures are scripted), the fixtures of a normal run, and
 * an error body in the service's own format.
 */
export interface StandardService {
  job(): Record<string, unknown>;
  firstRequest: { method: 'GET' | 'POST'; path: string };
  answerNormally(services: ScenarioServices): void;
  errorReply(status: number): FailureReply;
}

export const STANDARD: Record<ServiceName, StandardService> = {
  openai: {
    job: () => ({ service_required: 'openai', payload: { operation: 'chat', model: CHAT_MODEL, messages: [{ role: 'user', content: 'Say hello' }] } }),
    firstRequest: { method: 'POST', path: '/chat/completions' },
    answerNormally: (services) => services.openai.answersChat(CHAT_MODEL, 'Hello'),
    errorReply: (status) => ({ status, body: OPENAI_ERRORS[status] ?? openaiError(`status ${status}`, 'invalid_request_error'), headers: status === 429 ? { 'retry-after': '0' } : undefined }),
  },
  ollama: {
    job: () => ({ service_required: 'ollama', payload: { operation: 'generate', model: LOCAL_MODEL, prompt: 'Why is the sky blue?' } }),
    firstRequest: { method: 'POST', path: '/api/generate' },
    answerNormally: (services) => services.ollama.answers('generate', LOCAL_MODEL, 'Rayleigh scattering.'),
    errorReply: (status) => ({ status, body: { error: OLLAMA_ERRORS[status] ?? `status ${status}` } }),
  },
  comfyui: {
    job: () => ({ service_required: 'comfyui', payload: { workflow: WORKFLOW, poll_interval_ms: 10 } }),
    firstRequest: { method: 'POST', path: '/prompt' },
    answerNormally: (services) => {
      services.comfyui.queuesPrompt(PROMPT_ID);
      services.comfyui.finishesPrompt(PROMPT_ID, [OUTPUT_IMAGE]);
      services.comfyui.servesImage(OUTPUT_IMAGE);
    },
    errorReply: (status) =>
      status >= 500
        ? { status, body: `${status} Internal Server Error\n\nServer got itself in trouble`, headers: { 'content-type': 'text/plain' } }
        : { status, body: { error: { type: 'invalid_prompt', message: COMFYUI_ERRORS[status] ?? `status ${status}`, details: '', extra_info: {} }, node_errors: {} } },
  },
};

/** The messages OpenAI sends with each status; a 401 echoes part of the key, as OpenAI does. */
const OPENAI_ERRORS: Record<number, Record<string, unknown>> = {
  400: openaiError('Your request was rejected as a result of our safety system.', 'invalid_request_error', 'content_policy_violation'),
  401: openaiError('Incorrect API key provided: sk-phase2***********************cret. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key'),
  403: openaiError('Project does not have access to model gpt-4o-mini.', 'invalid_request_error', 'model_not_found'),
  404: openaiError('The model `gpt-4o-mini` does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found'),
  408: openaiError('Request timed out.', 'timeout_error'),
  429: openaiError('Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.', 'requests', 'rate_limit_exceeded'),
  500: openaiError('The server had an error while processing your request. Sorry about that!', 'server_error'),
  503: openaiError('The engine is currently overloaded, please try again later.', 'server_error'),
};

const OLLAMA_ERRORS: Record<number, string> = {
  400: 'invalid options: unknown option "temprature"',
  401: 'unauthorized',
  403: 'forbidden',
  404: `model "${LOCAL_MODEL}" not found, try pulling it first`,
  408: 'request timed out',
  429: 'server busy, please try again. maximum pending requests exceeded',
  500: 'llama runner process has terminated: signal: killed',
  503: 'server overloaded',
};

const COMFYUI_ERRORS: Record<number, string> = {
  400: 'Prompt outputs failed validation',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  429: 'Too Many Requests',
};
