import { BODY_LIMIT_BYTES } from '../src/api/job-schema';

export interface RawSubmission {
  contentType: string;
  body: string;
}

const valid = { service_required: 'mock', payload: { prompt: 'hello' } };

function json(value: unknown): RawSubmission {
  return { contentType: 'application/json', body: JSON.stringify(value) };
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = { level: value };
  return value;
}

/** Malformed submissions by the words a scenario uses for them. */
export const BAD_SUBMISSIONS: Record<string, () => RawSubmission> = {
  'no service': () => json({ payload: {} }),
  'no payload': () => json({ service_required: 'mock' }),
  'a payload that is a string': () => json({ ...valid, payload: 'make me a picture' }),
  'priority 101': () => json({ ...valid, priority: 101 }),
  'priority -1': () => json({ ...valid, priority: -1 }),
  'priority 2.5': () => json({ ...valid, priority: 2.5 }),
  'priority "high"': () => json({ ...valid, priority: 'high' }),
  'zero attempts': () => json({ ...valid, max_attempts: 0 }),
  'an unknown field': () => json({ ...valid, colour: 'blue' }),
  'a service name with spaces': () => json({ ...valid, service_required: 'image gen' }),
  'a body that is not JSON': () => ({ contentType: 'application/json', body: '{"service_required": "mock", payload: }' }),
  'a body that is a list': () => json([valid]),
  'a prototype-polluting key': () => ({ contentType: 'application/json', body: '{"service_required":"mock","payload":{"__proto__":{"admin":true}}}' }),
  'a plain-text body': () => ({ contentType: 'text/plain', body: 'service_required=mock' }),
  'a payload nested 40 levels deep': () => json({ ...valid, payload: nested(40) }),
  'a body over the size limit': () => json({ ...valid, payload: { text: 'x'.repeat(BODY_LIMIT_BYTES) } }),
};

export function badSubmission(problem: string): RawSubmission {
  const build = BAD_SUBMISSIONS[problem];
  if (!build) throw new Error(`No bad submission is described as "${problem}"; known: ${Object.keys(BAD_SUBMISSIONS).join('; ')}.`);
  return build();
}
