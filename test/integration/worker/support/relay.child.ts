// The outbox relay alone, in its own process, so that a test can SIGKILL it
// mid-batch. It uses the worker's OutboxRelay with the settings from the
// environment (plus RELAY_LEASE_SECONDS) and prints "relay ready" once
// PostgreSQL and Redis answer.
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

const relay = new OutboxRelay(unitOfWork, {
  batchSize: config.outbox.batchSize,
  pollMs: config.outbox.pollMs,
  leaseSeconds: Number(process.env.RELAY_LEASE_SECONDS ?? '30'),
  queue: (name) => queues.queue(name),
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
