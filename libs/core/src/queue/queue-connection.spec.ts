import { DEFAULT_JOB_OPTIONS } from './queue-connection.js';

describe('DEFAULT_JOB_OPTIONS', () => {
  it('retries a failing job at least 5 times with exponential backoff and keeps it when it finally fails', () => {
    expect(DEFAULT_JOB_OPTIONS.attempts).toBeGreaterThanOrEqual(5);
    expect(DEFAULT_JOB_OPTIONS.backoff).toEqual(expect.objectContaining({ type: 'exponential' }));
    expect(DEFAULT_JOB_OPTIONS.removeOnFail).toBe(false);
  });

  it('keeps completed jobs long enough for a re-published outbox id to collapse', () => {
    const retention = DEFAULT_JOB_OPTIONS.removeOnComplete as { age: number };
    expect(retention.age).toBeGreaterThanOrEqual(24 * 3600);
  });
});
