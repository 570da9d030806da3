import { SpanKind, SpanStatusCode, type AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** Lower-case kind names, as the feature files write them. */
export const KIND_NAMES: Record<SpanKind, string> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

/** Attributes the tree leaves out, because they differ on every run and tell little about the job. */
export const NOISY_ATTRIBUTES = /^(network\.|user_agent\.|client\.address|server\.port|http\.flavor|net\.)/;

export function parentSpanId(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/**
 * Renders spans as indented trees, one per trace, children in start order, with kind,
 * instrumentation scope, status, attributes, events and links, so that a failed assertion
 * shows what was recorded.
 */
export function renderSpanTrees(spans: readonly ReadableSpan[]): string {
  if (spans.length === 0) return '(no spans recorded)';

  const byTrace = new Map<string, ReadableSpan[]>();
  for (const span of [...spans].sort((a, b) => compareTime(a.startTime, b.startTime))) {
    const traceId = span.spanContext().traceId;
    byTrace.set(traceId, [...(byTrace.get(traceId) ?? []), span]);
  }

  const blocks: string[] = [];
  for (const [traceId, traceSpans] of byTrace) {
    const ids = new Set(traceSpans.map((span) => span.spanContext().spanId));
    const lines = [`trace ${traceId}`];
    const roots = traceSpans.filter((span) => !parentSpanId(span) || !ids.has(parentSpanId(span)!));
    for (const root of roots) renderSpan(root, traceSpans, 1, lines);
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n');
}

function renderSpan(span: ReadableSpan, spans: readonly ReadableSpan[], depth: number, lines: string[]): void {
  const indent = '  '.repeat(depth);
  let status = '';
  if (span.status.code === SpanStatusCode.ERROR) status = ` ERROR(${span.status.message ?? ''})`;
  if (span.status.code === SpanStatusCode.OK) status = ' OK';
  const missingParent = parentSpanId(span) && !spans.some((other) => other.spanContext().spanId === parentSpanId(span)) ? ` (parent ${parentSpanId(span)} not recorded)` : '';
  lines.push(`${indent}${span.name} [${KIND_NAMES[span.kind]}] ${span.instrumentationScope.name}${status}${missingParent}`);

  const attributes = Object.entries(span.attributes).filter(([name]) => !NOISY_ATTRIBUTES.test(name));
  if (attributes.length > 0) lines.push(`${indent}    ${formatAttributes(attributes)}`);
  for (const event of span.events) {
    const eventAttributes = Object.entries(event.attributes ?? {}).filter(([name]) => name !== 'exception.stacktrace');
    lines.push(`${indent}    * ${event.name}${eventAttributes.length > 0 ? ` ${formatAttributes(eventAttributes)}` : ''}`);
  }
  for (const link of span.links) {
    lines.push(`${indent}    -> link to trace ${link.context.traceId} span ${link.context.spanId}`);
  }

  const children = spans.filter((candidate) => parentSpanId(candidate) === span.spanContext().spanId);
  for (const child of children) renderSpan(child, spans, depth + 1, lines);
}

function formatAttributes(attributes: [string, AttributeValue | undefined][]): string {
  return attributes.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(' ');
}

function compareTime(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
