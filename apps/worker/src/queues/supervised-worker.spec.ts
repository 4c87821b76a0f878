import { EventEmitter } from 'node:events';

import { SupervisedWorker, type WatchableWorker } from './supervised-worker.js';

class FakeWorker implements WatchableWorker {
  readonly backend = new EventEmitter();
  readonly closeCalls: boolean[] = [];
  getBackend() {
    return this.backend;
  }
  close(force = false): Promise<void> {
    this.closeCalls.push(force);
    return Promise.resolve();
  }
}

describe('supervised worker (watchdog)', () => {
  let created: FakeWorker[];
  let replaced: number;
  let supervised: SupervisedWorker<FakeWorker>;

  beforeEach(() => {
    jest.useFakeTimers();
    created = [];
    replaced = 0;
    supervised = new SupervisedWorker({
      create: () => {
        const worker = new FakeWorker();
        created.push(worker);
        return worker;
      },
      reconnectTimeoutMs: 30_000,
      onReplaced: () => {
        replaced += 1;
      },
    });
    supervised.start();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('keeps the worker when its connection is ready again within 30 s', () => {
    created[0].backend.emit('close');
    jest.advanceTimersByTime(29_000);
    created[0].backend.emit('ready');
    jest.advanceTimersByTime(60_000);
    expect(created).toHaveLength(1);
    expect(supervised.worker).toBe(created[0]);
    expect(created[0].closeCalls).toEqual([]);
  });

  it('replaces the worker when its connection stays closed for 30 s, closing the old one by force', () => {
    created[0].backend.emit('close');
    jest.advanceTimersByTime(29_999);
    expect(created).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(created).toHaveLength(2);
    expect(supervised.worker).toBe(created[1]);
    expect(created[0].closeCalls).toEqual([true]);
    expect(replaced).toBe(1);
    expect(supervised.replacedCount).toBe(1);
  });

  it('counts the 30 s from the first close, not from each failed reconnection', () => {
    created[0].backend.emit('close');
    for (let second = 0; second < 30; second += 1) {
      jest.advanceTimersByTime(1_000);
      if (created.length === 1) created[0].backend.emit('close');
    }
    expect(created).toHaveLength(2);
  });

  it('watches the replacement too, and ignores the stale worker', () => {
    created[0].backend.emit('close');
    jest.advanceTimersByTime(30_000);
    created[0].backend.emit('close');
    jest.advanceTimersByTime(30_000);
    expect(created).toHaveLength(2);
    created[1].backend.emit('close');
    jest.advanceTimersByTime(30_000);
    expect(created).toHaveLength(3);
    expect(supervised.worker).toBe(created[2]);
  });

  it('stops watching once closed, and closes gracefully unless told otherwise', async () => {
    await supervised.close();
    created[0].backend.emit('close');
    jest.advanceTimersByTime(60_000);
    expect(created).toHaveLength(1);
    expect(created[0].closeCalls).toEqual([false]);
  });

  it('tries again later when building the replacement fails', () => {
    const errors: unknown[] = [];
    let shouldFail = true;
    const flaky = new SupervisedWorker({
      create: () => {
        if (created.length > 1 && shouldFail) throw new Error('no connection');
        const worker = new FakeWorker();
        created.push(worker);
        return worker;
      },
      reconnectTimeoutMs: 30_000,
      onError: (error) => errors.push(error),
    });
    flaky.start();
    const first = created[1];
    first.backend.emit('close');
    jest.advanceTimersByTime(30_000);
    expect(errors).toHaveLength(1);
    expect(flaky.worker).toBe(first);
    shouldFail = false;
    jest.advanceTimersByTime(30_000);
    expect(flaky.worker).not.toBe(first);
    expect(created).toHaveLength(3);
  });
});
