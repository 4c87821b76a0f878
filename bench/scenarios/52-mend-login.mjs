import { scaleClientEmails, scaleData } from '../lib/scale-data.mjs';
import { percentile } from '../lib/stats.mjs';

/**
 * POST /api/v1/auth/login as generated clients (no second factor): one argon2id
 * verify at the production cost (m=19456 KiB, t=2, p=1) plus the membership
 * lookup, a login session, tokens and the audit row, against the users of the
 * generated clinic (bench/lib/scale-data.mjs). Two concurrent callers, one per
 * core: the latency is then the cost of a sign-in, not queueing behind other
 * sign-ins, and requests/s is what the machine can verify. Requests rotate over
 * 8 accounts (successful sign-ins do not count against the throttle anyway; the
 * throttle stays as deployed).
 */
const CALLERS = 2;
const ACCOUNTS = 8;

export const scenario = {
  name: 'mend-login',
  description: `POST /api/v1/auth/login of generated clients, argon2id production profile, ${CALLERS} concurrent callers, rotating accounts`,
  baselines: [],
  quick: true,
  async run(ctx) {
    const api = await ctx.mendApi();
    const data = await scaleData(ctx);
    const clients = (await scaleClientEmails(ctx, data, { count: ACCOUNTS })).map(({ email }) => ({
      email,
      password: data.password,
    }));
    let next = 0;
    const measure = async (durationMs) => {
      const latencies = [];
      let failures = 0;
      const endAt = performance.now() + durationMs;
      await Promise.all(
        Array.from({ length: CALLERS }, async () => {
          while (performance.now() < endAt) {
            const client = clients[next % clients.length];
            next += 1;
            const started = performance.now();
            const response = await fetch(`${api.baseUrl}/api/v1/auth/login`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(client),
            });
            await response.arrayBuffer();
            if (response.status === 200) latencies.push(performance.now() - started);
            else failures += 1;
          }
        }),
      );
      return { latencies, failures, seconds: durationMs / 1000 };
    };
    await measure(ctx.settings.warmupSec * 1000);
    // Twice the HTTP duration in a full run (sign-ins are slow: more samples for the p95); once in --quick.
    const { latencies, failures, seconds } = await measure(ctx.settings.httpDurationSec * (ctx.quick ? 1000 : 2000));
    const warning = failures > 0 ? `${failures} failed of ${latencies.length + failures} sign-ins` : undefined;
    return [
      { metric: 'requests_per_s', value: latencies.length / seconds, unit: 'req/s', better: 'higher', warning },
      {
        metric: 'latency_p50',
        value: percentile(latencies, 50),
        unit: 'ms',
        better: 'lower',
        note: 'target 50–500 ms (one argon2id verify)',
      },
      { metric: 'latency_p95', value: percentile(latencies, 95), unit: 'ms', better: 'lower' },
    ];
  },
};
