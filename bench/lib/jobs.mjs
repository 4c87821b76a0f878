import { percentile, sleep } from './stats.mjs';

/** p50/p95/p99 rows of a latency list (ms), compared with `baseline` scenario's same metric when given. */
export function latencyRows(latencies, note, baselineScenario) {
  return [50, 95, 99].map((p) => ({
    metric: `job_latency_p${p}`,
    value: percentile(latencies, p),
    unit: 'ms',
    better: 'lower',
    ...(baselineScenario !== undefined && { compareWith: { scenario: baselineScenario, metric: `job_latency_p${p}` } }),
    ...(p === 50 && { note }),
  }));
}

/** Calls `work(i)` `count` times at `ratePerSec`, on a fixed schedule (a slow call does not shift the next ones). */
export async function pace(count, ratePerSec, work) {
  const started = performance.now();
  const pending = [];
  for (let i = 0; i < count; i += 1) {
    const due = started + (i * 1000) / ratePerSec;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const done = work(i);
    done.catch(() => undefined); // reported by Promise.all below, not as an unhandled rejection
    pending.push(done);
  }
  await Promise.all(pending);
}

export function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}
