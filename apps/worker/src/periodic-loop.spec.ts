import { PeriodicLoop } from './periodic-loop.js';

describe('PeriodicLoop', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs a pass at start, then intervalMs after each pass ends, and not after stop', async () => {
    let passes = 0;
    const loop = new PeriodicLoop(1_000, () => {
      passes += 1;
      return Promise.resolve();
    });
    loop.start();
    loop.start(); // a second start is a no-op
    await jest.advanceTimersByTimeAsync(0);
    expect(passes).toBe(1);
    await jest.advanceTimersByTimeAsync(999);
    expect(passes).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(passes).toBe(2);
    await loop.stop();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(passes).toBe(2);
  });

  it('stop waits for the pass in progress', async () => {
    let finish: () => void = () => undefined;
    let finished = false;
    const loop = new PeriodicLoop(
      1_000,
      () =>
        new Promise<void>((resolve) => {
          finish = () => {
            finished = true;
            resolve();
          };
        }),
    );
    loop.start();
    await jest.advanceTimersByTimeAsync(0);
    const stopped = loop.stop();
    let isStopped = false;
    void stopped.then(() => (isStopped = true));
    await jest.advanceTimersByTimeAsync(10);
    expect(isStopped).toBe(false);
    finish();
    await stopped;
    expect(finished).toBe(true);
  });

  it('isStopping: false before start and while running, true once a started loop is stopped', async () => {
    const loop = new PeriodicLoop(1_000, () => Promise.resolve());
    expect(loop.isStopping).toBe(false);
    await loop.stop(); // never started: a pass run directly must not see a stop
    expect(loop.isStopping).toBe(false);
    loop.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(loop.isStopping).toBe(false);
    await loop.stop();
    expect(loop.isStopping).toBe(true);
  });
});
