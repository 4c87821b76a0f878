// Raw baseline: Fastify plus one primary-key SELECT through a raw pg Pool, the
// floor under any endpoint of Mend that reads one row (no ORM, no transaction,
// no row-level security).
//
// With BENCH_PAGE_FILE, the same server also answers GET /pages/:id: the same
// SELECT, then the file's bytes (a real Mend page, read once at start) instead
// of the row — the page floor of bench/scenarios/11-fastify-pg-select.mjs
// (measureRawPage), started as a server of its own.
import { readFileSync } from 'node:fs';

import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({
  connectionString: process.env.BENCH_DATABASE_URL,
  max: Number(process.env.BENCH_POOL_SIZE ?? 10),
});
pool.on('error', () => undefined);

const app = Fastify({ logger: false });
app.get('/items/:id', async (request, reply) => {
  // An unnamed statement, as TypeORM sends them: a fair floor for Mend's queries.
  const { rows } = await pool.query('select id, name, created_at from bench_raw.items where id = $1', [
    Number(request.params.id),
  ]);
  if (rows.length === 0) return reply.code(404).send({ error: 'not found' });
  return rows[0];
});
if (process.env.BENCH_PAGE_FILE !== undefined) {
  const page = readFileSync(process.env.BENCH_PAGE_FILE, 'utf8');
  app.get('/pages/:id', async (request, reply) => {
    // The same statement as /items; its row is dropped and the page answered instead.
    const { rows } = await pool.query('select id, name, created_at from bench_raw.items where id = $1', [
      Number(request.params.id),
    ]);
    if (rows.length === 0) return reply.code(404).send({ error: 'not found' });
    return reply.type('application/json; charset=utf-8').send(page);
  });
}
await app.listen({ host: '127.0.0.1', port: 0 });
process.send({ port: app.server.address().port });
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0)),
);
