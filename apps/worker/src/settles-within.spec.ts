import { settlesWithin } from './settles-within.js';

describe('settlesWithin', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is true when the work settles within the grace period, and leaves no timer behind', async () => {
    await expect(settlesWithin(Promise.resolve(), 25_000)).resolves.toBe(true);
    await expect(settlesWithin(Promise.reject(new Error('closing failed')), 25_000)).resolves.toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('is false when the work is still running when the grace period ends', async () => {
    const outcome = settlesWithin(new Promise(() => undefined), 25_000);
    await jest.advanceTimersByTimeAsync(24_999);
    let settled = false;
    void outcome.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(outcome).resolves.toBe(false);
  });
});
