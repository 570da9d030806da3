import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { readRuntimeSettings } from '../src/runtime/settings';

describe('readRuntimeSettings', () => {
  it('reads lease, heartbeat, reaper and grace settings in ms', () => {
    const settings = readRuntimeSettings({ JOB_LEASE_MS: '3000', WORKER_HEARTBEAT_MS: '1000', LEASE_REAP_INTERVAL_MS: '500', WORKER_SHUTDOWN_GRACE_MS: '7000' });

    assert.equal(settings.leaseMs, 3000);
    assert.equal(settings.heartbeatMs, 1000);
    assert.equal(settings.leaseReapIntervalMs, 500);
    assert.equal(settings.shutdownGraceMs, 7000);
  });

  it('rejects a heartbeat that is not shorter than the lease', () => {
    assert.throws(() => readRuntimeSettings({ JOB_LEASE_MS: '1000', WORKER_HEARTBEAT_MS: '1000' }), /WORKER_HEARTBEAT_MS=1000 is not shorter than JOB_LEASE_MS=1000/);
  });

  it('rejects a setting that is not a whole number of ms', () => {
    assert.throws(() => readRuntimeSettings({ LEASE_REAP_INTERVAL_MS: '0.5' }), /Invalid LEASE_REAP_INTERVAL_MS="0.5"/);
  });

  it('keeps the token out of the settings error messages', () => {
    assert.throws(
      () => readRuntimeSettings({ API_AUTH_TOKEN: 'secret-token-99', API_PORT: 'x' }),
      (error: Error) => !error.message.includes('secret-token-99'),
    );
  });
});
