import { createHash, timingSafeEqual } from 'node:crypto';

/** The bearer scheme; RFC 7235 makes scheme names case-insensitive. */
const BEARER = /^Bearer +(.*)$/i;

/**
 * Checks an Authorization header against the expected bearer token in constant time:
 * both sides are hashed first, so neither the length nor the content leaks through timing.
 */
export function isAuthorized(header: string | undefined, token: string): boolean {
  const presented = header?.match(BEARER)?.[1] ?? '';
  const expected = createHash('sha256').update(token).digest();
  const actual = createHash('sha256').update(presented).digest();
  return timingSafeEqual(expected, actual) && presented.length > 0;
}
