import type { Recording } from './recording';

export const SCRUBBED = '[scrubbed]';

/** A secret of the environment: the variable's name, for messages, and its value, to replace. */
export interface Secret {
  name: string;
  value: string;
}

/** Environment variables whose values are secrets, whatever their names suggest. */
const SECRET_VARIABLES = ['OPENAI_API_KEY', 'DASH0_AUTH_TOKEN', 'API_AUTH_TOKEN', 'OLLAMA_API_KEY', 'COMFYUI_API_KEY'];

/** The name suffixes that mark other secret variables, such as ANTHROPIC_API_KEY or REDIS_PASSWORD. */
const SECRET_NAME = /_(KEY|TOKEN|SECRET|PASSWORD|PASSWD|COOKIE|CREDENTIALS?)$/i;

/** Headers whose value is a credential or a session, dropped whatever their value. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'openai-organization', 'openai-project', 'dash0-dataset']);

/**
 * Text that looks like a credential even when no variable names it: bearer tokens, OpenAI keys
 * (whole, or partly masked as OpenAI's own error messages echo them) and cookie assignments.
 */
const SECRET_PATTERNS: RegExp[] = [/Bearer\s+[A-Za-z0-9._~+/=-]+/g, /\bsk-[A-Za-z0-9*_-]{8,}/g, /\b(__cf_bm|_cfuvid|session|sessionid|token)=[^;\s"]+/gi];

/** A shorter value is no credential, and scrubbing it would deface ordinary words. */
const MIN_SECRET_LENGTH = 8;

/** Collects the secrets of an environment, longest value first: named credentials, and variables whose name marks one. */
export function secretsOf(env: NodeJS.ProcessEnv): Secret[] {
  const secrets: Secret[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < MIN_SECRET_LENGTH) continue;
    if (SECRET_VARIABLES.includes(name) || SECRET_NAME.test(name)) secrets.push({ name, value });
  }
  return secrets.sort((a, b) => b.value.length - a.value.length);
}

/**
 * Returns a copy of a recording without its secrets. The headers that carry credentials are
 * dropped. Each known secret value, wherever it occurs (bodies, chunks, paths and queries),
 * becomes `[scrubbed]`, and so does text that looks like a bearer token, an API key or a
 * session cookie.
 */
export function scrubRecording(recording: Recording, secrets: readonly Secret[]): Recording {
  const scrubText = (text: string): string => {
    let scrubbed = text;
    for (const secret of secrets) scrubbed = scrubbed.split(secret.value).join(SCRUBBED);
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
        ...(response.chunks ? { chunks: wholeLines(response.chunks).map(scrubText) } : {}),
      },
    })),
  };
}

/**
 * Joins the chunks of a stream so that each ends at a line break, as server-sent events and
 * NDJSON lines do, and a secret that the network split across two chunks is scrubbed whole.
 */
function wholeLines(chunks: readonly string[]): string[] {
  const joined: string[] = [];
  let pending = '';
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.endsWith('\n')) {
      joined.push(pending);
      pending = '';
    }
  }
  if (pending) joined.push(pending);
  return joined;
}

/**
 * Describes each exchange whose request scrubbing changed, naming the variables whose values
 * it replaced: a replay compares requests as the connector sends them, so it will not match a
 * scrubbed one. Empty when scrubbing touched no request.
 */
export function requestScrubNotes(original: Recording, scrubbed: Recording, secrets: readonly Secret[]): string[] {
  const notes: string[] = [];
  for (const [index, exchange] of original.exchanges.entries()) {
    const { method, path, query, body } = exchange.request;
    const before = JSON.stringify({ method, path, query, body });
    const after = scrubbed.exchanges[index].request;
    if (before === JSON.stringify({ method: after.method, path: after.path, query: after.query, body: after.body })) continue;

    const names = secrets.filter((secret) => before.includes(secret.value)).map((secret) => secret.name);
    const what = names.length > 0 ? `the value of ${names.join(' and ')} was` : 'text that looks like a credential was';
    const advice = names.length > 0 ? `; unset ${names.join(' and ')} while recording if it is no secret` : '';
    notes.push(`exchange ${index + 1} (${method} ${path}): ${what} scrubbed from the request, so a replay will not match it${advice}`);
  }
  return notes;
}
