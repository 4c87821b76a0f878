import { httpRows, measureHttp } from '../lib/http-load.mjs';
import { mendClients, signInClient } from '../lib/mend-users.mjs';

/**
 * GET /api/v1/me with a bearer token, the cheapest authenticated route: JWT
 * check, a transaction with clinic and user set (RLS), the login session and
 * membership check, the profile read (not audited: no clinical content) and
 * COMMIT, in three round trips to PostgreSQL. Against the raw
 * `pg` primary-key select: target ≥ 0.5 of its requests/s, p99 ≤ 25 ms at 50
 * connections. Connections rotate over several signed-in clients.
 */
export const scenario = {
  name: 'mend-me',
  description: 'GET /api/v1/me (bearer JWT, unit of work, RLS, session check, profile read), 50 connections',
  baselines: ['fastify-pg-select'],
  quick: true,
  async run(ctx) {
    const api = await ctx.mendApi();
    const { clients } = await mendClients(ctx);
    const tokens = [];
    for (const client of clients) tokens.push(await signInClient(api.baseUrl, client));
    let next = 0;
    const load = await measureHttp(`${api.baseUrl}/api/v1/me`, {
      connections: ctx.settings.connections,
      serverPid: api.child.pid,
      durationSec: ctx.settings.httpDurationSec,
      warmupSec: ctx.settings.warmupSec,
      setupRequest: (request) => {
        const token = tokens[next % tokens.length];
        next += 1;
        return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
      },
    });
    return httpRows(load, 'fastify-pg-select');
  },
};
