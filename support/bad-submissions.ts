import { BODY_LIMIT_BYTES, MAX_ARRAY_ITEMS } from '../src/api/job-schema';

export interface RawSubmission {
  contentType: string;
  body: string;
}

const valid = { service_required: 'mock', payload: { prompt: 'hello' } };

function json(value: unknown): RawSubmission {
  return { contentType: 'application/json', body: JSON.stringify(value) };
}

function raw(body: string, contentType = 'application/json'): RawSubmission {
  return { contentType, body };
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

  // Wrong types
  'a service that is a number': () => json({ ...valid, service_required: 42 }),
  'a service that is a list': () => json({ ...valid, service_required: ['mock'] }),
  'a service that is null': () => json({ ...valid, service_required: null }),
  'a payload that is null': () => json({ ...valid, payload: null }),
  'a payload that is a list': () => json({ ...valid, payload: [{ prompt: 'hello' }] }),
  'a payload that is a number': () => json({ ...valid, payload: 7 }),
  'priority true': () => json({ ...valid, priority: true }),
  'priority null': () => json({ ...valid, priority: null }),
  'priority "50"': () => json({ ...valid, priority: '50' }),
  'priority 1e3': () => raw('{"service_required":"mock","payload":{},"priority":1e3}'),
  'priority -0.5': () => json({ ...valid, priority: -0.5 }),
  'max_attempts 2.5': () => json({ ...valid, max_attempts: 2.5 }),
  'max_attempts 26': () => json({ ...valid, max_attempts: 26 }),
  'max_attempts "3"': () => json({ ...valid, max_attempts: '3' }),
  'requirements that are a list': () => json({ ...valid, requirements: ['gpu'] }),
  'requirements that are a string': () => json({ ...valid, requirements: 'gpu' }),

  // Missing and unknown fields
  'an empty object': () => json({}),
  'a misspelt field': () => json({ service_requried: 'mock', payload: {} }),
  'a field named like a status': () => json({ ...valid, status: 'completed' }),

  // Bodies that are not a JSON object
  'an empty body': () => raw(''),
  'a body that is null': () => raw('null'),
  'a body that is a string': () => json('mock'),
  'a truncated body': () => raw('{"service_required":"mock","payload":{"prompt":"hel'),
  'trailing text after the JSON': () => raw(`${JSON.stringify(valid)} and more`),
  'a single-quoted body': () => raw("{'service_required':'mock','payload':{}}"),
  'a NaN priority': () => raw('{"service_required":"mock","payload":{},"priority":NaN}'),

  // Content types
  'a form-encoded body': () => raw('service_required=mock&payload=%7B%7D', 'application/x-www-form-urlencoded'),
  'an XML body': () => raw('<job><service_required>mock</service_required></job>', 'application/xml'),
  'a multipart body': () => raw('--b\r\nContent-Disposition: form-data; name="service_required"\r\n\r\nmock\r\n--b--', 'multipart/form-data; boundary=b'),

  // Prototype pollution
  'a top-level "__proto__" key': () => raw('{"service_required":"mock","payload":{},"__proto__":{"polluted":true}}'),
  'a "constructor.prototype" key': () => raw('{"service_required":"mock","payload":{"constructor":{"prototype":{"polluted":true}}}}'),

  // Control characters and odd Unicode
  'a service name with a NUL character': () => json({ ...valid, service_required: 'mock\u0000' }),
  'a service name with a newline': () => json({ ...valid, service_required: 'mock\n' }),
  'a service name with an escape sequence': () => json({ ...valid, service_required: '\u001b[31mmock' }),
  'a service name with a zero-width space': () => json({ ...valid, service_required: 'mo\u200bck' }),
  'a service name with a right-to-left override': () => json({ ...valid, service_required: '\u202emock' }),
  'a service name in full-width letters': () => json({ ...valid, service_required: '\uff4d\uff4f\uff43\uff4b' }),
  'a service name in capitals': () => json({ ...valid, service_required: 'MOCK' }),
  'an empty service name': () => json({ ...valid, service_required: '' }),
  'a service name of 65 characters': () => json({ ...valid, service_required: 'm'.repeat(65) }),
  'a lone surrogate in the payload': () => raw('{"service_required":"mock","payload":{"prompt":"broken \\ud800 text"}}'),
  'a lone surrogate in a payload key': () => raw('{"service_required":"mock","payload":{"\\udc00":"value"}}'),

  // Size and shape
  'requirements nested 40 levels deep': () => json({ ...valid, requirements: nested(40) }),
  'a payload with a huge array': () => json({ ...valid, payload: { tokens: new Array(MAX_ARRAY_ITEMS + 1).fill(0) } }),
  'a payload with a huge array deep inside': () => json({ ...valid, payload: { batch: [{ inputs: new Array(MAX_ARRAY_ITEMS + 1).fill('a') }] } }),
  'a body nested 100000 levels deep': () => raw(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
};

export function badSubmission(problem: string): RawSubmission {
  const build = BAD_SUBMISSIONS[problem];
  if (!build) throw new Error(`No bad submission is described as "${problem}"; known: ${Object.keys(BAD_SUBMISSIONS).join('; ')}.`);
  return build();
}
