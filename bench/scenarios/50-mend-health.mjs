import { httpLoadSettings, httpRows, measureHttp } from '../lib/http-load.mjs';

/**
 * Mend's API as deployed: GET /health through Nest, the request hooks, logging,
 * one PostgreSQL transaction (outbox backlog), a Redis ping and the queue counts.
 * Compared with bare Fastify hello: the ratio is what the whole stack and the
 * dependency checks cost.
 */
export const scenario = {
  name: 'mend-health',
  description: 'Mend API (dist/apps/api) GET /health: PostgreSQL, Redis, queue depths, outbox backlog',
  baselines: ['fastify-hello'],
  quick: true,
  async run(ctx) {
    const api = await ctx.mendApi();
    const load = await measureHttp(`${api.baseUrl}/health`, {
      ...httpLoadSettings(ctx),
      serverPid: api.child.pid,
    });
    return httpRows(load, 'fastify-hello');
  },
};
