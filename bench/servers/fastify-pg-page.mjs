// Reference, not a baseline: the raw baseline's work (Fastify plus one primary-key SELECT through a raw
// pg Pool) answering a stored page instead of the row — the bytes of a real Mend page, read from
// BENCH_PAGE_FILE once at start. What any route answering that page costs this box before it does any
// work of its own: sending and receiving the bytes (the load generator parses every response).
import { readFileSync } from 'node:fs';

import Fastify from 'fastify';
import pg from 'pg';

const page = readFileSync(process.env.BENCH_PAGE_FILE, 'utf8');
const pool = new pg.Pool({
  connectionString: process.env.BENCH_DATABASE_URL,
  max: Number(process.env.BENCH_POOL_SIZE ?? 10),
});
pool.on('error', () => undefined);

const app = Fastify({ logger: false });
app.get('/pages/:id', async (request, reply) => {
  // The same statement as the raw baseline's (fastify-pg-select.mjs); its row is dropped.
  const { rows } = await pool.query('select id, name, created_at from bench_raw.items where id = $1', [
    Number(request.params.id),
  ]);
  if (rows.length === 0) return reply.code(404).send({ error: 'not found' });
  return reply.type('application/json; charset=utf-8').send(page);
});
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
