import { httpLoadSettings, httpRows, measureHttp } from '../lib/http-load.mjs';
import { ROWS, rawItemsDatabase } from './11-fastify-pg-select.mjs';

/**
 * The framework floor: `fastify-pg-select`'s route as a bare NestJS controller on
 * Nest's Fastify adapter (bench/servers/nest-pg-select.mjs), then the same with
 * the request context every Mend request carries (an AsyncLocalStorage context
 * and one pino line per response). Against `fastify-pg-select`: no Mend route
 * can pass these ratios, since each does strictly more (a token check, a
 * transaction with row-level security, the login session check). A diagnostic with
 * no target of its own: full run only (it would take 10 s of the quick run's 2 minutes).
 */
export const scenario = {
  name: 'nest-pg-select',
  description:
    'bare NestJS (Fastify adapter) GET /items/:id with the same raw pg select; then with ALS context + pino line',
  baselines: ['fastify-pg-select'],
  quick: false,
  async run(ctx) {
    const database = await rawItemsDatabase(ctx);
    const rows = [];
    for (const [variant, extras] of [
      ['bare', 'false'],
      ['context', 'true'],
    ]) {
      const server = await ctx.startNode(
        `nest-pg-select-${variant}`,
        new URL('../servers/nest-pg-select.mjs', import.meta.url).pathname,
        {
          ipc: true,
          env: {
            ...process.env,
            BENCH_DATABASE_URL: database.adminUrl,
            BENCH_POOL_SIZE: '10',
            BENCH_NEST_REQUEST_CONTEXT: extras,
          },
        },
      );
      try {
        const load = await measureHttp(`http://127.0.0.1:${server.ready.port}/items/1`, {
          ...httpLoadSettings(ctx),
          serverPid: server.pid,
          setupRequest: (request) => ({ ...request, path: `/items/${1 + Math.floor(Math.random() * ROWS)}` }),
        });
        for (const row of httpRows(load, 'fastify-pg-select')) {
          rows.push({ ...row, metric: `${variant}_${row.metric}` });
        }
      } finally {
        await ctx.stopNode(`nest-pg-select-${variant}`);
      }
    }
    return rows;
  },
};
