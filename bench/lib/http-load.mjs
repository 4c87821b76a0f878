import autocannon from 'autocannon';

/**
 * Loads `url` with autocannon: a short warm-up (JIT, pools, caches) whose figures
 * are discarded, then the measured run. Requests/s is total responses over the
 * measured duration (not the mean of per-second samples, which drops the last
 * partial second). Non-2xx answers and socket errors are returned, never hidden:
 * a fast stream of 503s is not a result.
 */
export async function measureHttp(url, { connections, durationSec, warmupSec, setupRequest }) {
  const run = (duration) =>
    autocannon({
      url,
      connections,
      duration,
      pipelining: 1,
      ...(setupRequest !== undefined && { requests: [{ setupRequest }] }),
    });
  if (warmupSec > 0) await run(warmupSec);
  const result = await run(durationSec);
  return {
    requestsPerSec: result.requests.total / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors, // connection errors, timeouts included
  };
}

/** The three rows every HTTP scenario reports, each compared with the same metric of `baselineScenario`. */
export function httpRows(load, baselineScenario) {
  const against = (metric) => (baselineScenario === undefined ? undefined : { scenario: baselineScenario, metric });
  // Failed answers are counted in requests/s by autocannon: flag them on the row.
  const warning =
    load.non2xx + load.errors > 0
      ? `${load.non2xx} non-2xx and ${load.errors} failed of ${load.total} requests`
      : undefined;
  return [
    {
      metric: 'requests_per_s',
      value: load.requestsPerSec,
      unit: 'req/s',
      better: 'higher',
      compareWith: against('requests_per_s'),
      warning,
    },
    {
      metric: 'latency_p50',
      value: load.latencyP50Ms,
      unit: 'ms',
      better: 'lower',
      compareWith: against('latency_p50'),
    },
    {
      metric: 'latency_p99',
      value: load.latencyP99Ms,
      unit: 'ms',
      better: 'lower',
      compareWith: against('latency_p99'),
    },
  ];
}
