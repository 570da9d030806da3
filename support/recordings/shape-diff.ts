import { isRecord } from '../../src/connectors/json-values';

/**
 * Lists the fields that `expected` has and `actual` lacks, by path (`body.choices[0].message`).
 * Values are ignored, because a recorded reply legitimately differs from a hand-written one in
 * its text, ids and numbers. A missing field means that one of them does not match the
 * service's format. Array items are compared by their first item.
 */
export function missingFields(expected: unknown, actual: unknown, path = 'body'): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path} (an array, but the other is ${describe(actual)})`];
    if (expected.length === 0 || actual.length === 0) return [];
    return missingFields(expected[0], actual[0], `${path}[0]`);
  }
  if (!isRecord(expected)) return [];
  if (!isRecord(actual)) return [`${path} (an object, but the other is ${describe(actual)})`];

  const missing: string[] = [];
  for (const key of Object.keys(expected).sort()) {
    const child = `${path}.${key}`;
    if (!(key in actual)) missing.push(child);
    else missing.push(...missingFields(expected[key], actual[key], child));
  }
  return missing;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
