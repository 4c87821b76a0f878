import { httpLoadSettings, httpRows, measureHttp } from '../lib/http-load.mjs';
import { scaleClientEmails, scaleData, signInScaleClients } from '../lib/scale-data.mjs';
import { rawSelectAlongside } from './11-fastify-pg-select.mjs';

const CLIENTS = 8;

/**
 * GET /api/v1/me with a bearer token, the cheapest authenticated route: JWT
 * check, a transaction with clinic and user set (RLS), the login session and
 * membership check, the profile read (not audited: no clinical content) and
 * COMMIT, in three round trips to PostgreSQL. Against the raw
 * `pg` primary-key select: target ≥ 0.5 of its requests/s, p99 ≤ 25 ms at 50
 * connections. Connections rotate over 8 signed-in clients of the generated
 * clinic (bench/lib/scale-data.mjs).
 */
export const scenario = {
  name: 'mend-me',
  description: `GET /api/v1/me of ${CLIENTS} generated clients (bearer JWT, unit of work, RLS, session check, profile read), 50 connections`,
  baselines: ['fastify-pg-select'],
  quick: true,
  async run(ctx) {
    const api = await ctx.mendApi();
    const data = await scaleData(ctx);
    // Other clients than the login scenario's (their login sessions stay few).
    const clients = await scaleClientEmails(ctx, data, { count: CLIENTS, offset: 8 });
    const tokens = await signInScaleClients(
      api.baseUrl,
      data,
      clients.map(({ email }) => email),
    );
    let next = 0;
    const raw = await rawSelectAlongside(ctx);
    const load = await measureHttp(`${api.baseUrl}/api/v1/me`, {
      ...httpLoadSettings(ctx),
      serverPid: api.child.pid,
      setupRequest: (request) => {
        const token = tokens[next % tokens.length];
        next += 1;
        return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
      },
    });
    return httpRows(load, 'fastify-pg-select', raw);
  },
};
