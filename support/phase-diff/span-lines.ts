import { SpanKind, SpanStatusCode, type AttributeValue, type Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

import { ATTR, JOB_EVENT } from '../../src/telemetry/attributes';
import { KIND_NAMES, NOISY_ATTRIBUTES, parentSpanId } from '../traces/span-tree';

/** Span attributes that identify the job or the worker, or name the service and its connector's error kinds. */
const CONNECTOR_ATTRIBUTES = new Set<string>([
  ATTR.messagingMessageId,
  ATTR.messagingClientId,
  ATTR.messagingDestinationName,
  ATTR.connectorType,
  ATTR.errorType,
]);

/** Event attributes that carry a time, or a message or progress step that only the connector decides. */
const CONNECTOR_EVENT_ATTRIBUTES = new Set<string>([
  ATTR.jobRetryAt,
  ATTR.errorType,
  ATTR.jobProgress,
  'conveyor.job.progress_message',
  'exception.message',
  'exception.stacktrace',
]);

/**
 * Renders the spans of one job as lines such as
 * `span "greeting" POST > submit <service> > process <service> (attempt 1) [consumer] status=ERROR`,
 * in a fixed order that does not depend on timing: depth first, siblings sorted by name and
 * attempt, events in the order they were recorded.
 *
 * Left out, so that a MockConnector job and a real connector's job compare equal:
 * - a CLIENT span at the root of a trace, which is the suite's own request to the API, so
 *   its children become roots;
 * - every other CLIENT span with everything under it, because those are a connector's calls
 *   to its service;
 * - ids, times and the service's name, which becomes `<service>` in span names;
 * - attributes that name the connector, its error kinds or the network peer;
 * - status messages, exception messages and progress values, and repeated progress events,
 *   which collapse into one.
 */
export function spanLines(name: string, service: string, spans: readonly ReadableSpan[]): string[] {
  const recorded = new Set(spans.map((span) => span.spanContext().spanId));
  const childrenOf = new Map<string, ReadableSpan[]>();
  const roots: ReadableSpan[] = [];
  for (const span of spans) {
    const parent = parentSpanId(span);
    if (parent && recorded.has(parent)) childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), span]);
    else roots.push(span);
  }

  const lines: string[] = [];
  const visit = (span: ReadableSpan, path: string[], pathAttempt: AttributeValue | undefined): void => {
    const children = childrenOf.get(span.spanContext().spanId) ?? [];
    if (span.kind === SpanKind.CLIENT) {
      if (path.length === 0) sortedBySegment(children, service).forEach((child) => visit(child, path, pathAttempt));
      return;
    }

    const attempt = span.attributes[ATTR.jobAttempt];
    const spanPath = [...path, segment(span, service, attempt === pathAttempt ? null : attempt)];
    lines.push(...ownLines(`span "${name}" ${spanPath.join(' > ')}`, span));
    sortedBySegment(children, service).forEach((child) => visit(child, spanPath, attempt ?? pathAttempt));
  };
  sortedBySegment(roots, service).forEach((root) => visit(root, [], undefined));
  return lines;
}

function ownLines(prefix: string, span: ReadableSpan): string[] {
  const lines = [`${prefix} [${KIND_NAMES[span.kind]}] status=${SpanStatusCode[span.status.code]}`];

  const attributes = Object.entries(span.attributes)
    .filter(([key]) => !CONNECTOR_ATTRIBUTES.has(key) && !NOISY_ATTRIBUTES.test(key))
    .sort(([a], [b]) => a.localeCompare(b));
  for (const [key, value] of attributes) lines.push(`${prefix} attribute ${key}=${JSON.stringify(value)}`);

  let previous = '';
  for (const event of span.events) {
    // A connector decides how often it reports progress, so a run of progress events counts as one.
    if (event.name === JOB_EVENT.progress && previous === JOB_EVENT.progress) continue;
    previous = event.name;
    const details = formatAttributes(event.attributes ?? {}, CONNECTOR_EVENT_ATTRIBUTES);
    lines.push(`${prefix} event: ${event.name}${details ? ` ${details}` : ''}`);
  }

  for (const link of span.links) {
    const details = formatAttributes(link.attributes ?? {}, CONNECTOR_ATTRIBUTES);
    lines.push(`${prefix} link${details ? ` ${details}` : ''}`);
  }
  return lines;
}

/**
 * Returns the span's name with the service replaced by `<service>`, and the attempt, which
 * distinguishes the process spans of one job. A span under a process span shows no attempt of its own.
 */
function segment(span: ReadableSpan, service: string, attempt: AttributeValue | null | undefined = span.attributes[ATTR.jobAttempt]): string {
  const name = span.name.endsWith(` ${service}`) ? `${span.name.slice(0, -service.length)}<service>` : span.name;
  return attempt === undefined || attempt === null ? name : `${name} (attempt ${attempt})`;
}

function sortedBySegment(spans: readonly ReadableSpan[], service: string): ReadableSpan[] {
  return [...spans].sort((a, b) => segment(a, service).localeCompare(segment(b, service), 'en', { numeric: true }));
}

function formatAttributes(attributes: Attributes, left: ReadonlySet<string>): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, AttributeValue] => !left.has(entry[0]) && entry[1] !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(' ');
}
