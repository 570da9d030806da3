import { DEFAULT_MAX_ATTEMPTS, DEFAULT_PRIORITY, MAX_ATTEMPTS_LIMIT, MAX_PRIORITY, MIN_PRIORITY, SERVICE_NAME_PATTERN } from '../queue/job';

/** Largest accepted request body, in bytes; a larger one gets 413. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Deepest nesting accepted in `payload` and `requirements`. */
export const MAX_NESTING_DEPTH = 32;
/** Maximum number of items in one array inside `payload` and `requirements`. */
export const MAX_ARRAY_ITEMS = 10_000;

/** A UTF-16 surrogate without its partner, which no UTF-8 encoder can send to a service. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The rule of each submission field, in the words the 400 messages use. */
export const FIELD_RULES: Record<string, string> = {
  service_required: 'a service name of 1 to 64 characters: lowercase letters, digits, "_", "." or "-", starting with a letter or digit',
  payload: 'a JSON object',
  priority: `an integer from ${MIN_PRIORITY} to ${MAX_PRIORITY} (default ${DEFAULT_PRIORITY})`,
  max_attempts: `an integer from 1 to ${MAX_ATTEMPTS_LIMIT} (default ${DEFAULT_MAX_ATTEMPTS})`,
  requirements: 'a JSON object',
};

export interface SubmitJobBody {
  service_required: string;
  payload: Record<string, unknown>;
  priority?: number;
  max_attempts?: number;
  requirements?: Record<string, unknown>;
}

export const submitJobSchema = {
  type: 'object',
  required: ['service_required', 'payload'],
  additionalProperties: false,
  properties: {
    service_required: { type: 'string', pattern: SERVICE_NAME_PATTERN },
    payload: { type: 'object' },
    priority: { type: 'integer', minimum: MIN_PRIORITY, maximum: MAX_PRIORITY },
    max_attempts: { type: 'integer', minimum: 1, maximum: MAX_ATTEMPTS_LIMIT },
    requirements: { type: 'object' },
  },
} as const;

/** Job ids are UUIDs; anything else cannot name a job. */
export const JOB_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Describes what makes a JSON value unfit to store as a job field: nesting deeper than
 * MAX_NESTING_DEPTH, an array longer than MAX_ARRAY_ITEMS, or a string or key with an unpaired
 * surrogate. Returns null when the value is fine.
 */
export function findShapeProblem(value: unknown): string | null {
  if (nestingDepth(value, MAX_NESTING_DEPTH) > MAX_NESTING_DEPTH) {
    return `it nests deeper than ${MAX_NESTING_DEPTH} levels`;
  }

  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return 'it contains a string with an unpaired UTF-16 surrogate, which is not valid Unicode text';
      continue;
    }
    if (current === null || typeof current !== 'object') continue;

    if (Array.isArray(current)) {
      if (current.length > MAX_ARRAY_ITEMS) return `it contains an array of ${current.length} items; the limit is ${MAX_ARRAY_ITEMS}`;
      stack.push(...current);
      continue;
    }
    for (const [key, child] of Object.entries(current)) {
      if (LONE_SURROGATE.test(key)) return 'it contains a key with an unpaired UTF-16 surrogate, which is not valid Unicode text';
      stack.push(child);
    }
  }
  return null;
}

/** Returns the depth of the deepest array or object inside `value`, stopping past `limit`. */
export function nestingDepth(value: unknown, limit: number, depth = 0): number {
  if (depth > limit || value === null || typeof value !== 'object') return depth;
  let deepest = depth + 1;
  for (const child of Object.values(value as Record<string, unknown>)) {
    deepest = Math.max(deepest, nestingDepth(child, limit, depth + 1));
    if (deepest > limit) break;
  }
  return deepest;
}
