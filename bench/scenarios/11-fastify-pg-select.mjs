import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { withClient } from '../lib/context.mjs';
import { httpLoadSettings, httpRows, measureHttp } from '../lib/http-load.mjs';

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

/** The raw baseline's server (started once per run, kept until the end). */
function rawSelectServer(ctx) {
  return ctx.once('raw-select-server', async () => {
    const database = await rawItemsDatabase(ctx);
    return ctx.startNode('fastify-pg-select', new URL('../servers/fastify-pg-select.mjs', import.meta.url).pathname, {
      ipc: true,
      // Same pool size as Mend's default DATABASE_POOL_SIZE.
      env: { ...process.env, BENCH_DATABASE_URL: database.adminUrl, BENCH_POOL_SIZE: '10' },
    });
  });
}

/** One load of the raw baseline (the same warm-up and duration as every HTTP scenario). */
export async function measureRawSelect(ctx) {
  const server = await rawSelectServer(ctx);
  return measureHttp(`http://127.0.0.1:${server.ready.port}/items/1`, {
    ...httpLoadSettings(ctx),
    serverPid: server.pid,
    setupRequest: (request) => ({ ...request, path: `/items/${1 + Math.floor(Math.random() * ROWS)}` }),
  });
}

/**
 * A reference for a route answering a large page (the caseload): the raw baseline's
 * server work — one primary-key SELECT through a raw pg Pool — answering `page`
 * (the bytes of a real Mend page) instead of the row, under the same load. Its
 * requests/s over the raw SELECT's is what sending and receiving those bytes alone
 * leaves of the raw baseline on this box: the ceiling of any route answering that
 * page, before the route does any work of its own. One server per `label`.
 */
export async function measureRawPage(ctx, label, page) {
  const server = await ctx.once(`raw-page-server:${label}`, async () => {
    const database = await rawItemsDatabase(ctx);
    const file = join(ctx.tmpDir, `${label}.page.json`);
    writeFileSync(file, page);
    return ctx.startNode(
      `fastify-pg-page-${label}`,
      new URL('../servers/fastify-pg-select.mjs', import.meta.url).pathname,
      {
        ipc: true,
        env: { ...process.env, BENCH_DATABASE_URL: database.adminUrl, BENCH_POOL_SIZE: '10', BENCH_PAGE_FILE: file },
      },
    );
  });
  return measureHttp(`http://127.0.0.1:${server.ready.port}/pages/1`, {
    ...httpLoadSettings(ctx),
    serverPid: server.pid,
    setupRequest: (request) => ({ ...request, path: `/pages/${1 + Math.floor(Math.random() * ROWS)}` }),
  });
}

/**
 * The raw baseline measured again right before a Mend scenario's own load, in a
 * full run: that scenario's ratios use it (`httpRows(load, 'fastify-pg-select',
 * baseline)`) rather than the run's first measurement, which came minutes and a
 * generated clinic earlier — this 2-core VM's speed moves by up to 2× within
 * minutes (the raw SELECT at 3,473 and 8,396 req/s in two runs an hour apart).
 * A quick run measures its HTTP scenarios within a minute of the baseline and
 * uses the one measurement (undefined here).
 */
export function rawSelectAlongside(ctx) {
  return ctx.quick ? Promise.resolve(undefined) : measureRawSelect(ctx);
}

/** Raw baseline: bare Fastify doing one primary-key SELECT through a raw pg Pool on 100k rows. */
export const scenario = {
  name: 'fastify-pg-select',
  description: `bare Fastify, GET /items/:id: one primary-key SELECT through a raw pg Pool (${ROWS / 1000}k rows, random ids)`,
  isBaseline: true,
  quick: true,
  async run(ctx) {
    return httpRows(await measureRawSelect(ctx));
  },
};
