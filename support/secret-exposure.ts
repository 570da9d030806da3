import type { JobWorld } from '../worlds/job-world';
import { spanRecorder } from './traces/span-recorder';

/**
 * Collects every place a secret must never reach, by name: the scenario's log lines, the Redis
 * records of its jobs (hash and event stream), the API responses it received, and span
 * attributes.
 */
export async function secretExposures(world: JobWorld, secret: string): Promise<string[]> {
  const places: Record<string, string[]> = {
    'log line': world.logs.lines,
    'job record': await jobRecords(world),
    'API response': world.responseBodies,
    'span attribute': spanAttributeTexts(),
  };

  const exposures: string[] = [];
  for (const [place, texts] of Object.entries(places)) {
    for (const text of texts) {
      if (text.includes(secret)) exposures.push(`${place}: ${text.slice(0, 200)}`);
    }
  }
  return exposures;
}

/** Counts the texts of each place, so a scenario can show that the check read something. */
export async function exposureSources(world: JobWorld): Promise<Record<string, number>> {
  return {
    'log line': world.logs.lines.length,
    'job record': (await jobRecords(world)).length,
    'API response': world.responseBodies.length,
    'span attribute': spanAttributeTexts().length,
  };
}

async function jobRecords(world: JobWorld): Promise<string[]> {
  const queue = world.requireQueue();
  const texts: string[] = [];
  for (const id of world.jobIds.values()) {
    texts.push(JSON.stringify(await queue.redis.hgetall(queue.keys.job(id))));
    texts.push(JSON.stringify(await queue.redis.xrange(queue.keys.events(id), '-', '+')));
  }
  return texts;
}

/**
 * Returns the attributes of every span the scenario recorded, with those of the span events
 * and the status message, one text per span. The recorder is cleared before each scenario.
 */
function spanAttributeTexts(): string[] {
  return spanRecorder.spans().map((span) =>
    JSON.stringify({
      name: span.name,
      attributes: span.attributes,
      events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
      status: span.status,
    }),
  );
}
