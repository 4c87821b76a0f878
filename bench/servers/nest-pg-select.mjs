// Framework floor: the raw `fastify-pg-select` server's route written as a NestJS
// controller on Nest's Fastify adapter (the versions Mend uses), nothing else:
// no guard, interceptor, pipe, logging, transaction or row-level security. What
// Nest alone costs per request on this machine, so that Mend's ratios can be read
// against what the chosen stack can reach at all. `BENCH_NEST_REQUEST_CONTEXT=true`
// adds what every Mend request must carry anyway: an AsyncLocalStorage context
// opened in an onRequest hook (log correlation) and one pino log line per
// response to a file, as the API writes them.
import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';

import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import pg from 'pg';
import { pino } from 'pino';

const pool = new pg.Pool({
  connectionString: process.env.BENCH_DATABASE_URL,
  max: Number(process.env.BENCH_POOL_SIZE ?? 10),
});
pool.on('error', () => undefined);

class ItemsController {
  async item(id) {
    const { rows } = await pool.query('select id, name, created_at from bench_raw.items where id = $1', [Number(id)]);
    return rows[0] ?? null;
  }
}
// Decorators applied by hand: this file is plain JavaScript, run without a compiler.
Controller('items')(ItemsController);
Reflect.defineMetadata('design:paramtypes', [String], ItemsController.prototype, 'item');
Param('id')(ItemsController.prototype, 'item', 0);
Get(':id')(ItemsController.prototype, 'item', Object.getOwnPropertyDescriptor(ItemsController.prototype, 'item'));

class BenchModule {}
Module({ controllers: [ItemsController] })(BenchModule);

const app = await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: false, bodyParser: false });
if (process.env.BENCH_NEST_REQUEST_CONTEXT === 'true') {
  const storage = new AsyncLocalStorage();
  const logger = pino(
    { level: 'info', mixin: () => ({ correlationId: storage.getStore()?.correlationId }) },
    pino.destination({ dest: process.env.BENCH_NEST_LOG_FILE ?? '/dev/null', sync: false }),
  );
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, _reply, done) => {
    storage.run({ correlationId: String(request.id) }, () => done());
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    logger.info({ method: request.method, statusCode: reply.statusCode }, 'request completed');
    done();
  });
}
await app.listen(0, '127.0.0.1');
process.send({ port: app.getHttpServer().address().port });
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0)),
);
