/** Duration of a mock job submitted by the suite unless the scenario sets one, in ms. */
export const SUITE_JOB_DELAY_MS = 10;

/** Builds the submission of a mock job; `payload` scripts the MockConnector. */
export function mockJob(payload: Record<string, unknown> = {}, options: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    service_required: 'mock',
    payload: { delay_ms: SUITE_JOB_DELAY_MS, ...payload },
    ...options,
  };
}
