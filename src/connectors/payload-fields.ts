import { ConnectorError } from './connector-error';

/**
 * Reads the fields of a job payload for one connector. Every problem is a permanent
 * `invalid_payload` failure whose message names the field and what it must be.
 */
export class PayloadReader {
  constructor(
    private readonly service: string,
    private readonly payload: Record<string, unknown>,
  ) {}

  has(field: string): boolean {
    return this.payload[field] !== undefined;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], fallback?: T): T {
    const value = this.payload[field] ?? fallback;
    if (typeof value !== 'string' || !allowed.includes(value as T)) {
      throw this.invalid(`"${field}" must be one of ${allowed.map((option) => `"${option}"`).join(', ')}, got ${JSON.stringify(value ?? null)}`);
    }
    return value as T;
  }

  string(field: string): string {
    const value = this.payload[field];
    if (typeof value !== 'string' || value.trim() === '') {
      throw this.invalid(`"${field}" must be a non-empty string, got ${JSON.stringify(value ?? null)}`);
    }
    return value;
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.payload[field] ?? fallback;
    if (typeof value !== 'boolean') throw this.invalid(`"${field}" must be true or false, got ${JSON.stringify(value)}`);
    return value;
  }

  integer(field: string, fallback: number, min: number, max: number): number {
    const value = this.payload[field] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw this.invalid(`"${field}" must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  /** Reads an object of extra request parameters, which go to the service as they are. */
  object(field: string): Record<string, unknown> {
    const value = this.payload[field] ?? {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw this.invalid(`"${field}" must be an object, got ${JSON.stringify(value)}`);
    }
    return value as Record<string, unknown>;
  }

  /** Chat messages: a non-empty array of objects with a string `role`. */
  messages(field: string): Record<string, unknown>[] {
    const value = this.payload[field];
    const valid = Array.isArray(value) && value.length > 0 && value.every((message) => typeof message === 'object' && message !== null && typeof (message as { role?: unknown }).role === 'string');
    if (!valid) throw this.invalid(`"${field}" must be a non-empty array of messages, each with a "role" and "content"`);
    return value as Record<string, unknown>[];
  }

  /** Embedding input: a non-empty string or a non-empty array of non-empty strings. */
  textInput(field: string): string | string[] {
    const value = this.payload[field];
    if (typeof value === 'string' && value !== '') return value;
    if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' && item !== '')) return value as string[];
    throw this.invalid(`"${field}" must be a non-empty string or an array of non-empty strings`);
  }

  /** Rejects extra parameters that would override what the connector sets itself. */
  withoutReserved(field: string, reserved: readonly string[]): Record<string, unknown> {
    const extra = this.object(field);
    const clash = Object.keys(extra).filter((key) => reserved.includes(key));
    if (clash.length > 0) throw this.invalid(`"${field}" must not set ${clash.map((key) => `"${key}"`).join(', ')}: give them as payload fields`);
    return extra;
  }

  invalid(reason: string): ConnectorError {
    return new ConnectorError(`Invalid ${this.service} payload: ${reason}.`, { service: this.service, kind: 'invalid_payload', retryable: false });
  }
}
