import { WORKFLOW } from './service-scenarios';

/** Builds the submission of an OpenAI chat job. */
export function openaiChatJob(model: string, message: string, stream = false): Record<string, unknown> {
  return { service_required: 'openai', payload: { operation: 'chat', model, messages: [{ role: 'user', content: message }], stream } };
}

export function openaiImageJob(model: string, prompt: string): Record<string, unknown> {
  return { service_required: 'openai', payload: { operation: 'image', model, prompt, parameters: { size: '1024x1024' } } };
}

export function openaiEmbeddingsJob(texts: string[]): Record<string, unknown> {
  return { service_required: 'openai', payload: { operation: 'embeddings', model: 'text-embedding-3-small', input: texts } };
}

/** Builds an Ollama generate job (a prompt) or chat job (one user message). */
export function ollamaJob(operation: 'generate' | 'chat', model: string, text: string, stream = false): Record<string, unknown> {
  const input = operation === 'chat' ? { messages: [{ role: 'user', content: text }] } : { prompt: text };
  return { service_required: 'ollama', payload: { operation, model, ...input, stream } };
}

export function ollamaEmbeddingsJob(texts: string[]): Record<string, unknown> {
  return { service_required: 'ollama', payload: { operation: 'embeddings', model: 'nomic-embed-text', input: texts } };
}

export function comfyuiJob(inline = false): Record<string, unknown> {
  return { service_required: 'comfyui', payload: { workflow: WORKFLOW, poll_interval_ms: 10, inline_outputs: inline } };
}

