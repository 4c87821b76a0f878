// Raw baseline: Fastify plus one primary-key SELECT through a raw pg Pool, the
// floor under any endpoint of Mend that reads one row (no ORM, no transaction,
// no row-level security).
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
