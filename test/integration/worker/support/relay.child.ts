// The outbox relay alone, in its own process, so that a test can SIGKILL it
// mid-batch. It uses the worker's OutboxRelay with the settings from the
// environment (plus RELAY_LEASE_SECONDS) and prints "relay ready" once
// PostgreSQL and Redis answer. RELAY_DELAY_AFTER_ADD_MS holds each batch for a
// moment after BullMQ accepted it and before the relay commits `published_at`,
// widening the window in which a kill leaves jobs in Redis for rows that are
// still unpublished (they are published again later and must collapse).
import 'reflect-metadata';

import {
  createDataSource,
  initializeDataSource,
  loadConfig,
  OutboxRelay,
  QueueConnection,
  UnitOfWork,
} from '@mend/core';
import { ENTITIES } from '@mend/platform';

const config = loadConfig(process.env, { database: true, redis: true });
const dataSource = await initializeDataSource(
  createDataSource({ url: config.database.url, entities: ENTITIES, poolSize: 4, applicationName: 'mend-relay-test' }),
  () => undefined,
);
const unitOfWork = new UnitOfWork({ connected: () => dataSource });
const queues = new QueueConnection(config);
await queues.queue('system').waitUntilReady();

const delayAfterAddMs = Number(process.env.RELAY_DELAY_AFTER_ADD_MS ?? '0');
const slowToCommit = (queue: ReturnType<QueueConnection['queue']>): typeof queue =>
  new Proxy(queue, {
    get: (target, property, receiver) => {
      if (property !== 'addBulk' || delayAfterAddMs === 0) return Reflect.get(target, property, receiver) as unknown;
      return async (...args: Parameters<typeof target.addBulk>) => {
        const jobs = await target.addBulk(...args);
        await new Promise((resolve) => setTimeout(resolve, delayAfterAddMs));
        return jobs;
      };
    },
  });

const relay = new OutboxRelay(unitOfWork, {
  batchSize: config.outbox.batchSize,
  pollMs: config.outbox.pollMs,
  leaseSeconds: Number(process.env.RELAY_LEASE_SECONDS ?? '30'),
  queue: (name) => slowToCommit(queues.queue(name)),
  onError: (error) => process.stderr.write(`relay error: ${error instanceof Error ? error.name : 'unknown'}\n`),
});
process.once('SIGTERM', () => {
  void (async () => {
    await relay.stop();
    await queues.close();
    await dataSource.destroy();
    process.exit(0);
  })();
});
relay.start();
process.stdout.write('relay ready\n');
