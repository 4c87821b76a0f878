/** What the watchdog needs from a BullMQ Worker (kept narrow so tests can fake it). */
export interface WatchableWorker {
  getBackend(): {
    on(event: 'ready' | 'close', listener: () => void): unknown;
    removeListener(event: string, listener: () => void): unknown;
  };
  close(force?: boolean): Promise<void>;
}

export interface SupervisedWorkerOptions<W extends WatchableWorker> {
  /** Builds a new worker and starts it consuming. */
  readonly create: () => W;
  /**
   * How long a closed connection may stay not-ready before the worker is
   * replaced (reliability.md JOB-2: consumption resumes within 30 s of Redis
   * returning). `undefined` disables the watchdog.
   */
  readonly reconnectTimeoutMs?: number;
  readonly onReplaced?: () => void;
  readonly onError?: (error: unknown) => void;
}

export const WORKER_RECONNECT_TIMEOUT_MS = 30_000;

/**
 * One queue's BullMQ Worker, replaced when its connection closes and is not
 * ready again within the timeout. BullMQ workers have been seen to stay idle
 * after a Redis restart even though ioredis reconnected (bullmq#2466, #2964);
 * the maintainers' advice is to close such a worker and create a new one.
 */
export class SupervisedWorker<W extends WatchableWorker> {
  private current: W | undefined;
  private detach: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private isStopped = false;
  private replacements = 0;

  constructor(private readonly options: SupervisedWorkerOptions<W>) {}

  /** The worker consuming now. */
  get worker(): W {
    if (this.current === undefined) throw new Error('The supervised worker has not started');
    return this.current;
  }

  /** How many times the watchdog replaced the worker. */
  get replacedCount(): number {
    return this.replacements;
  }

  start(): void {
    if (this.current !== undefined) return;
    this.current = this.watch(this.options.create());
  }

  /**
   * Stops watching and closes the worker: without `force` BullMQ waits for the
   * active jobs to finish (the caller bounds that wait).
   */
  close(force = false): Promise<void> {
    this.isStopped = true;
    this.clearTimer();
    this.detach?.();
    return this.current?.close(force) ?? Promise.resolve();
  }

  private watch(worker: W): W {
    const timeout = this.options.reconnectTimeoutMs;
    if (timeout === undefined) return worker;
    const backend = worker.getBackend();
    const onClose = (): void => {
      // ioredis emits 'close' after every failed reconnection attempt: the clock starts at the first.
      if (this.isStopped || this.timer !== undefined) return;
      this.timer = setTimeout(() => this.replace(worker), timeout);
      this.timer.unref();
    };
    const onReady = (): void => this.clearTimer();
    backend.on('close', onClose);
    backend.on('ready', onReady);
    this.detach = () => {
      backend.removeListener('close', onClose);
      backend.removeListener('ready', onReady);
    };
    return worker;
  }

  private replace(stale: W): void {
    this.timer = undefined;
    if (this.isStopped || stale !== this.current) return;
    this.detach?.();
    // Forced: its connection is gone, so waiting for its jobs would wait for Redis.
    // Jobs it held become stalled and run again (maxStalledCount 5; handlers are idempotent).
    stale.close(true).catch((error: unknown) => this.options.onError?.(error));
    try {
      this.current = this.watch(this.options.create());
      this.replacements += 1;
      this.options.onReplaced?.();
    } catch (error) {
      this.options.onError?.(error);
      // Try again later rather than leave the queue without a consumer.
      this.timer = setTimeout(() => this.replace(stale), this.options.reconnectTimeoutMs);
      this.timer.unref();
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
