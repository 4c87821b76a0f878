import type { Queue } from 'bullmq';

export interface DrainOptions {
  /** Give up after this long (ms). */
  readonly timeoutMs?: number;
  /** Fail when nothing moves for this long while work remains (ms). */
  readonly stallMs?: number;
  /** Also wait until these report zero (e.g. an outbox backlog). */
  readonly alsoPending?: () => Promise<number>;
}

/**
 * Waits until every queue has nothing waiting, delayed or active, failing on a
 * stall or a timeout with the counts it saw. Failed jobs are reported, not hidden.
 */
export async function waitForQueuesToDrain(
  queues: readonly Queue[],
  options: DrainOptions = {},
): Promise<{ failed: number }> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const stallMs = options.stallMs ?? 10_000;
  const started = Date.now();
  let lastRemaining = Number.POSITIVE_INFINITY;
  let lastProgressAt = Date.now();
  for (;;) {
    const counts = await Promise.all(
      queues.map((queue) => queue.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'failed')),
    );
    const extra = options.alsoPending === undefined ? 0 : await options.alsoPending();
    const remaining =
      extra +
      counts.reduce((sum, c) => sum + (c.wait ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0) + (c.active ?? 0), 0);
    const failed = counts.reduce((sum, c) => sum + (c.failed ?? 0), 0);
    if (remaining === 0) return { failed };
    if (remaining < lastRemaining) {
      lastRemaining = remaining;
      lastProgressAt = Date.now();
    }
    if (Date.now() - lastProgressAt > stallMs) {
      throw new Error(`Queues stalled with ${remaining} job(s) remaining (${failed} failed)`);
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`Queues did not drain within ${timeoutMs} ms: ${remaining} remaining (${failed} failed)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
