import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

import { createLogger } from '../src/logger';
import { ExportFailureLog } from '../src/telemetry/export-failure-log';

/** An exporter whose next results a test sets. */
class ScriptedExporter implements SpanExporter {
  result: ExportResult = { code: ExportResultCode.SUCCESS };

  export(_spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    resultCallback(this.result);
  }

  async shutdown(): Promise<void> {}
}

function setup() {
  const records: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      records.push(...chunk.toString().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>));
      callback();
    },
  });
  const clock = { now: 0 };
  const exporter = new ScriptedExporter();
  const log = new ExportFailureLog(exporter, createLogger({ name: 'test', level: 'debug', destination }), { intervalMs: 60_000, now: () => clock.now });
  const exportSpans = (count: number) => new Promise<ExportResult>((resolve) => log.export(new Array(count).fill({}) as ReadableSpan[], resolve));
  return { records, clock, exporter, exportSpans };
}

const refused: ExportResult = { code: ExportResultCode.FAILED, error: new Error('connect ECONNREFUSED 127.0.0.1:9') };

describe('ExportFailureLog', () => {
  it('passes results through', async () => {
    const { exporter, exportSpans } = setup();
    assert.equal((await exportSpans(1)).code, ExportResultCode.SUCCESS);
    exporter.result = refused;
    assert.equal((await exportSpans(1)).code, ExportResultCode.FAILED);
  });

  it('logs nothing while exports succeed', async () => {
    const { records, exportSpans } = setup();
    await exportSpans(3);
    assert.deepEqual(records, []);
  });

  it('warns at once on the first failure', async () => {
    const { records, exporter, exportSpans } = setup();
    exporter.result = refused;
    await exportSpans(4);
    assert.equal(records.length, 1);
    assert.equal(records[0].level, 40);
    assert.equal(records[0].reason, 'connect ECONNREFUSED 127.0.0.1:9');
    assert.equal(records[0].droppedSpans, 4);
  });

  it('warns at most once per interval', async () => {
    const { records, clock, exporter, exportSpans } = setup();
    exporter.result = refused;
    await exportSpans(1);
    clock.now = 30_000;
    await exportSpans(2);
    await exportSpans(3);
    assert.equal(records.length, 1);

    clock.now = 60_000;
    await exportSpans(4);
    assert.equal(records.length, 2);
    assert.equal(records[1].failedExports, 3);
    assert.equal(records[1].droppedSpans, 9);
  });

  it('logs the recovery once', async () => {
    const { records, clock, exporter, exportSpans } = setup();
    exporter.result = refused;
    await exportSpans(1);
    await exportSpans(2);
    exporter.result = { code: ExportResultCode.SUCCESS };
    clock.now = 1_000;
    await exportSpans(1);
    await exportSpans(1);

    assert.equal(records.length, 2);
    assert.equal(records[1].msg, 'trace export recovered');
    assert.equal(records[1].droppedSpans, 2);
  });

  it('warns at once after a recovery', async () => {
    const { records, clock, exporter, exportSpans } = setup();
    exporter.result = refused;
    await exportSpans(1);
    exporter.result = { code: ExportResultCode.SUCCESS };
    await exportSpans(1);
    exporter.result = refused;
    clock.now = 1_000;
    await exportSpans(1);
    assert.deepEqual(records.map((record) => record.level), [40, 30, 40]);
  });
});
