/**
 * Normalises the base URLs of the AI services, so that each setting accepts the forms people
 * write: with or without a trailing slash, with or without the API path suffix, and for the
 * local servers a bare host:port.
 */

export const OLLAMA_DEFAULT_PORT = 11434;
export const COMFYUI_DEFAULT_PORT = 8188;

/**
 * Returns the OpenAI API root, ending in `/v1`, from OPENAI_BASE_URL written with or without
 * that suffix: `https://api.openai.com` and `https://api.openai.com/v1/` both give
 * `https://api.openai.com/v1`. A proxy path before the suffix is kept.
 */
export function normaliseOpenaiBaseUrl(value: string): string {
  const url = parseHttpUrl('OPENAI_BASE_URL', value, 'such as https://api.openai.com/v1');
  const path = trimSlashes(url.pathname);
  url.pathname = path.endsWith('/v1') || path === 'v1' ? `/${path}` : `/${path === '' ? '' : `${path}/`}v1`;
  return withoutTrailingSlash(url);
}

/**
 * Returns the Ollama server root from OLLAMA_HOST, written as a full URL or as host:port the
 * way the Ollama CLI accepts it. A missing port defaults to 11434 and a trailing `/api` is
 * dropped, because the connector adds it to every path.
 */
export function normaliseOllamaHost(value: string): string {
  return normaliseServerUrl('OLLAMA_HOST', value, OLLAMA_DEFAULT_PORT, '/api', 'such as http://127.0.0.1:11434 or 127.0.0.1:11434');
}

/** Returns the ComfyUI server root from COMFYUI_BASE_URL, written as a full URL or as host:port. */
export function normaliseComfyuiBaseUrl(value: string): string {
  return normaliseServerUrl('COMFYUI_BASE_URL', value, COMFYUI_DEFAULT_PORT, null, 'such as http://127.0.0.1:8188 or 127.0.0.1:8188');
}

function normaliseServerUrl(variable: string, value: string, defaultPort: number, droppedSuffix: string | null, example: string): string {
  const trimmed = value.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
  const url = parseHttpUrl(variable, hasScheme ? trimmed : `http://${trimmed}`, example, value);
  if (!hasScheme && url.port === '') url.port = String(defaultPort);

  let path = trimSlashes(url.pathname);
  if (droppedSuffix && (`/${path}`.endsWith(droppedSuffix))) path = path.slice(0, -trimSlashes(droppedSuffix).length);
  url.pathname = `/${trimSlashes(path)}`;
  return withoutTrailingSlash(url);
}

function parseHttpUrl(variable: string, value: string, example: string, shown = value): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`Invalid ${variable}="${shown}": write a URL ${example}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Invalid ${variable}="${shown}": the scheme must be http or https, ${example}.`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error(`Invalid ${variable}="${shown}": remove the credentials, query or fragment, ${example}.`);
  }
  return url;
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

function withoutTrailingSlash(url: URL): string {
  return url.toString().replace(/\/+$/, '');
}
