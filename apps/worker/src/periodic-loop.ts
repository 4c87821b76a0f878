/**
 * Runs `pass` once at start (to catch up after downtime), then `intervalMs`
 * after each pass ends; `stop()` stops scheduling and waits for a pass in
 * progress. The pass must not throw (the worker's loops log their failures and
 * retry at the next interval). The timer does not keep the process alive. A long
 * pass (one clinic after another) reads {@link isStopping} between steps, so a
 * shutdown does not wait for the rest of it.
 */
export class PeriodicLoop {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private isRunning = false;
  private wasStarted = false;

  constructor(
    private readonly intervalMs: number,
    private readonly pass: () => Promise<unknown>,
  ) {}

  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    this.wasStarted = true;
    this.schedule(0);
  }

  /** True once `stop()` was called on a started loop (a pass run directly, without `start()`, never stops). */
  get isStopping(): boolean {
    return this.wasStarted && !this.isRunning;
  }

  async stop(): Promise<void> {
    this.isRunning = false;
    clearTimeout(this.timer);
    await this.current;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.current = this.pass().then(() => {
        if (this.isRunning) this.schedule(this.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }
}
