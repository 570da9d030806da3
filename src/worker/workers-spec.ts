export interface WorkerGroup {
  type: string;
  count: number;
}

export const MAX_WORKERS_PER_TYPE = 100;

/** Parses WORKERS, such as `mock:10` or `openai:3,ollama:2`, into worker groups. */
export function parseWorkersSpec(spec: string): WorkerGroup[] {
  const trimmed = spec.trim();
  if (trimmed === '') {
    throw new Error('WORKERS is empty: list type:count pairs, such as "mock:10" or "openai:3,ollama:2".');
  }

  const groups: WorkerGroup[] = [];
  for (const pair of trimmed.split(',')) {
    const match = /^\s*([a-z][a-z0-9_-]*)\s*:\s*(\d+)\s*$/.exec(pair);
    if (!match) {
      throw new Error(`Invalid WORKERS entry "${pair.trim()}": write type:count, such as "mock:10".`);
    }

    const [, type, countText] = match;
    const count = Number(countText);
    if (count < 1 || count > MAX_WORKERS_PER_TYPE) {
      throw new Error(`Invalid worker count ${countText} for "${type}" in WORKERS: use 1 to ${MAX_WORKERS_PER_TYPE}.`);
    }
    if (groups.some((group) => group.type === type)) {
      throw new Error(`WORKERS lists "${type}" twice: give each type once with its total count.`);
    }
    groups.push({ type, count });
  }
  return groups;
}

export function formatWorkersSpec(groups: readonly WorkerGroup[]): string {
  return groups.map((group) => `${group.type}:${group.count}`).join(',');
}
