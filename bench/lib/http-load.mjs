import { readFileSync } from 'node:fs';

import autocannon from 'autocannon';

/** Linux clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on every Linux build that matters here). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, every thread) a process has used so far, in µs, read
 * from /proc; undefined elsewhere or once the process is gone. CPU time per
 * request moves far less than requests/s when other work competes for the cores
 * (though a saturated box still inflates it: compare builds in the same window,
 * e.g. with scripts/bench-ab.mjs).
 */
export function processCpuMicros(pid) {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (2nd field) may contain spaces: count from after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return Number.isFinite(ticks) ? (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** The run's load settings for {@link measureHttp}: connections, duration and warm-up. */
export function httpLoadSettings(ctx) {
  const { connections, httpDurationSec, warmupSec, warmupRequests, warmupMaxSec } = ctx.settings;
  return { connections, durationSec: httpDurationSec, warmupSec, warmupRequests, warmupMaxSec };
}

/**
 * Loads `url` with autocannon: a warm-up (JIT, pools, caches) whose figures are
 * discarded, then the measured run. The warm-up lasts `warmupSec`, then goes on a
 * second at a time until the server has answered `warmupRequests` in it or
 * `warmupMaxSec` have passed: V8 optimizes a route's code after enough calls,
 * not after enough seconds, and a route that answers 200 requests/s had not
 * reached its steady rate after 3 s (the caseload: 215 req/s in its first 7 s,
 * 278, 298, 299 in the next 6-second runs). Requests/s is total responses over
 * the measured duration (not the mean of per-second samples, which drops the
 * last partial second). Non-2xx answers and socket errors are returned, never
 * hidden: a fast stream of 503s is not a result.
 */
export async function measureHttp(
  url,
  { connections, durationSec, warmupSec, warmupRequests = 0, warmupMaxSec = warmupSec, setupRequest, serverPid },
) {
  const run = (duration) =>
    autocannon({
      url,
      connections,
      duration,
      pipelining: 1,
      ...(setupRequest !== undefined && { requests: [{ setupRequest }] }),
    });
  let warmedRequests = 0;
  let warmedSec = 0;
  if (warmupSec > 0) {
    warmedRequests += (await run(warmupSec)).requests.total;
    warmedSec += warmupSec;
  }
  while (warmedRequests < warmupRequests && warmedSec < warmupMaxSec) {
    warmedRequests += (await run(1)).requests.total;
    warmedSec += 1;
  }
  const cpuBefore = processCpuMicros(serverPid);
  const result = await run(durationSec);
  const cpuAfter = processCpuMicros(serverPid);
  return {
    // The server process's CPU time per answered request (`serverPid`: a child's pid; Linux only).
    cpuMicrosPerRequest:
      cpuBefore === undefined || cpuAfter === undefined || result.requests.total === 0
        ? undefined
        : (cpuAfter - cpuBefore) / result.requests.total,
    requestsPerSec: result.requests.total / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors, // connection errors, timeouts included
  };
}

const LOAD_FIELD = {
  requests_per_s: 'requestsPerSec',
  latency_p50: 'latencyP50Ms',
  latency_p99: 'latencyP99Ms',
  cpu_per_request: 'cpuMicrosPerRequest',
};

/**
 * The rows every HTTP scenario reports, each compared with the same metric of
 * `baselineScenario`: with `baselineLoad` (that baseline measured again right
 * before this load, see rawSelectAlongside), with its figures rather than the
 * baseline scenario's own rows.
 */
export function httpRows(load, baselineScenario, baselineLoad) {
  const against = (metric) => {
    if (baselineScenario === undefined) return undefined;
    const adjacent = baselineLoad?.[LOAD_FIELD[metric]];
    return { scenario: baselineScenario, metric, ...(adjacent !== undefined && { value: adjacent, alongside: true }) };
  };
  // Failed answers are counted in requests/s by autocannon: flag them on the row.
  const warning =
    load.non2xx + load.errors > 0
      ? `${load.non2xx} non-2xx and ${load.errors} failed of ${load.total} requests`
      : undefined;
  const rows = [
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
  if (load.cpuMicrosPerRequest !== undefined) {
    rows.push({
      metric: 'cpu_per_request',
      value: load.cpuMicrosPerRequest,
      unit: 'µs',
      better: 'lower',
      compareWith: against('cpu_per_request'),
      note: 'CPU time (user + system) of the server process per answered request',
    });
  }
  return rows;
}
