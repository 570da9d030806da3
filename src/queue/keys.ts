/**
 * Redis key names. Every key sits under one prefix written as a Redis Cluster hash tag,
 * `{conveyor}:…`, so every multi-key script runs on one slot.
 */
export class QueueKeys {
  /** The hash-tagged prefix, ending in a colon; the claim script builds job keys from it. */
  readonly base: string;

  constructor(readonly prefix: string) {
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) {
      throw new Error(`Invalid queue prefix "${prefix}": use 1 to 64 letters, digits, "_", ".", ":" or "-".`);
    }
    this.base = `{${prefix}}:`;
  }

  job(id: string): string {
    return `${this.base}job:${id}`;
  }

  events(id: string): string {
    return `${this.base}events:${id}`;
  }

  pending(service: string): string {
    return `${this.base}pending:${service}`;
  }

  delayed(service: string): string {
    return `${this.base}delayed:${service}`;
  }

  wake(service: string): string {
    return `${this.base}wake:${service}`;
  }

  sequence(): string {
    return `${this.base}sequence`;
  }

  active(): string {
    return `${this.base}active`;
  }

  worker(id: string): string {
    return `${this.base}worker:${id}`;
  }

  workers(): string {
    return `${this.base}workers`;
  }

  /** Pub/sub channel on which cancel.lua announces the id of a running job that was cancelled. */
  cancelChannel(): string {
    return `${this.base}cancelled`;
  }

  /** Returns a pattern that matches every key of this prefix, for clean-up. */
  all(): string {
    return `${this.base}*`;
  }
}
