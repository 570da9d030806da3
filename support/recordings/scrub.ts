import type { Recording } from './recording';

export const SCRUBBED = '[scrubbed]';

/** Environment variables whose values are secrets wherever they turn up, whatever their length. */
const SECRET_VARIABLES = ['OPENAI_API_KEY', 'DASH0_AUTH_TOKEN', 'API_AUTH_TOKEN', 'OLLAMA_API_KEY', 'COMFYUI_API_KEY'];

/** Other variables whose name marks a secret value, such as ANTHROPIC_API_KEY or REDIS_PASSWORD. */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|COOKIE|CREDENTIAL)/i;

/** Headers whose value is a credential or a session, dropped whatever their value. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'openai-organization', 'openai-project', 'dash0-dataset']);

/**
 * Text that looks like a credential even when no variable names it: bearer tokens, OpenAI keys
 * (whole, or partly masked as OpenAI's own error messages echo them) and cookie assignments.
 */
const SECRET_PATTERNS: RegExp[] = [/Bearer\s+[A-Za-z0-9._~+/=-]+/g, /\bsk-[A-Za-z0-9*_-]{8,}/g, /\b(__cf_bm|_cfuvid|session|sessionid|token)=[^;\s"]+/gi];

/** A value shorter than this is no credential; scrubbing it would deface ordinary words. */
const MIN_SECRET_LENGTH = 6;

/** Collects the secret values of an environment: named credentials, and any variable whose name marks one. */
export function secretsOf(env: NodeJS.ProcessEnv): string[] {
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < MIN_SECRET_LENGTH) continue;
    if (SECRET_VARIABLES.includes(name) || SECRET_NAME.test(name)) secrets.add(value);
  }
  return [...secrets].sort((a, b) => b.length - a.length);
}

/**
 * Returns a copy of a recording with every secret replaced by `[scrubbed]`: the headers that
 * carry credentials, each known secret value wherever it occurs (bodies, chunks, paths and
 * queries), and text that looks like a bearer token, an API key or a session cookie.
 */
export function scrubRecording(recording: Recording, secrets: readonly string[]): Recording {
  const scrubText = (text: string): string => {
    let scrubbed = text;
    for (const secret of secrets) scrubbed = scrubbed.split(secret).join(SCRUBBED);
    for (const pattern of SECRET_PATTERNS) scrubbed = scrubbed.replace(pattern, SCRUBBED);
    return scrubbed;
  };
  const scrubValue = (value: unknown): unknown => {
    if (typeof value === 'string') return scrubText(value);
    if (Array.isArray(value)) return value.map(scrubValue);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [scrubText(key), scrubValue(item)]));
    }
    return value;
  };
  const scrubHeaders = (headers: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(headers).filter(([name]) => !SECRET_HEADERS.has(name.toLowerCase())).map(([name, value]) => [name, scrubText(value)]));

  return {
    ...recording,
    exchanges: recording.exchanges.map(({ request, response }) => ({
      request: { ...request, path: scrubText(request.path), query: scrubValue(request.query) as Record<string, string>, headers: scrubHeaders(request.headers), body: scrubValue(request.body) },
      response: {
        ...response,
        headers: scrubHeaders(response.headers),
        ...(response.body !== undefined ? { body: scrubValue(response.body) } : {}),
        ...(response.chunks ? { chunks: response.chunks.map(scrubText) } : {}),
      },
    })),
  };
}
