import { withClient } from '../lib/context.mjs';
import { httpRows, measureHttp } from '../lib/http-load.mjs';

export const ROWS = 100_000;

/** The scratch database with `bench_raw.items` (created once per run; the framework-floor scenario reads it too). */
export function rawItemsDatabase(ctx) {
  return ctx.once('raw-items', async () => {
    const database = await ctx.scratchDatabase();
    // Its own schema, so it never meets the project's migrations in the same database.
    await withClient(database.adminUrl, async (client) => {
      await client.query(`
        create schema bench_raw;
        create table bench_raw.items (id integer primary key, name text not null, created_at timestamptz not null default now());
        insert into bench_raw.items (id, name) select i, 'item ' || i from generate_series(1, ${ROWS}) as i;
        analyze bench_raw.items;
      `);
    });
    return database;
  });
}

/** Raw baseline: bare Fastify doing one primary-key SELECT through a raw pg Pool on 100k rows. */
export const scenario = {
  name: 'fastify-pg-select',
  description: `bare Fastify, GET /items/:id: one primary-key SELECT through a raw pg Pool (${ROWS / 1000}k rows, random ids)`,
  isBaseline: true,
  quick: true,
  async run(ctx) {
    const database = await rawItemsDatabase(ctx);
    const server = await ctx.startNode(
      'fastify-pg-select',
      new URL('../servers/fastify-pg-select.mjs', import.meta.url).pathname,
      {
        ipc: true,
        // Same pool size as Mend's default DATABASE_POOL_SIZE.
        env: { ...process.env, BENCH_DATABASE_URL: database.adminUrl, BENCH_POOL_SIZE: '10' },
      },
    );
    const load = await measureHttp(`http://127.0.0.1:${server.ready.port}/items/1`, {
      connections: ctx.settings.connections,
      serverPid: server.pid,
      durationSec: ctx.settings.httpDurationSec,
      warmupSec: ctx.settings.warmupSec,
      warmupRequests: ctx.settings.warmupRequests,
      warmupMaxSec: ctx.settings.warmupMaxSec,
      setupRequest: (request) => ({ ...request, path: `/items/${1 + Math.floor(Math.random() * ROWS)}` }),
    });
    return httpRows(load);
  },
};
