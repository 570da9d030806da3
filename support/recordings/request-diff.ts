import { isRecord } from '../../src/connectors/json-values';
import type { RecordedRequest } from './recording';

/** The parts of a request a replay compares: headers are left out, since clients and versions change them. */
export type ComparedRequest = Pick<RecordedRequest, 'method' | 'path' | 'query' | 'body'>;

/** Checks whether two requests agree in method, path, query and body, apart from the `ignored` fields. */
export function sameRequest(sent: ComparedRequest, recorded: ComparedRequest, ignored: readonly string[] = []): boolean {
  return requestDifferences(sent, recorded, ignored).length === 0;
}

/**
 * Lists how a sent request differs from a recorded one, as unified-diff lines: `-` for what
 * the recording has, `+` for what the connector sent, each with the field's path, such as
 * `- body.messages[0].content: "Say hi"`.
 */
export function requestDifferences(sent: ComparedRequest, recorded: ComparedRequest, ignored: readonly string[] = []): string[] {
  const lines: string[] = [];
  const skip = new Set(ignored);
  compare('method', recorded.method, sent.method, lines, skip);
  compare('path', recorded.path, sent.path, lines, skip);
  compare('query', recorded.query ?? {}, sent.query ?? {}, lines, skip);
  compare('body', recorded.body ?? null, sent.body ?? null, lines, skip);
  return lines;
}

function compare(path: string, recorded: unknown, sent: unknown, lines: string[], skip: ReadonlySet<string>): void {
  if (skip.has(path)) return;
  if (isRecord(recorded) && isRecord(sent)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(sent)])].sort();
    for (const key of keys) {
      const child = `${path}.${key}`;
      if (skip.has(child)) continue;
      if (!(key in sent)) lines.push(`- ${child}: ${show(recorded[key])}`);
      else if (!(key in recorded)) lines.push(`+ ${child}: ${show(sent[key])}`);
      else compare(child, recorded[key], sent[key], lines, skip);
    }
    return;
  }
  if (Array.isArray(recorded) && Array.isArray(sent)) {
    for (let index = 0; index < Math.max(recorded.length, sent.length); index++) {
      const child = `${path}[${index}]`;
      if (skip.has(child)) continue;
      if (index >= sent.length) lines.push(`- ${child}: ${show(recorded[index])}`);
      else if (index >= recorded.length) lines.push(`+ ${child}: ${show(sent[index])}`);
      else compare(child, recorded[index], sent[index], lines, skip);
    }
    return;
  }
  if (JSON.stringify(recorded) !== JSON.stringify(sent)) {
    lines.push(`- ${path}: ${show(recorded)}`, `+ ${path}: ${show(sent)}`);
  }
}

/** Shows a value as JSON, shortened so a long prompt or vector does not bury the diff. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
