import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';

import type { QueueConnection } from '@mend/core';

import { WorkerRuntime } from '../../../../apps/worker/src/worker-runtime.service.js';
import type { OwnDatabase } from './own-database.js';

export interface WorkerTestResources {
  readonly worker?: INestApplicationContext;
  readonly queue?: Queue;
  readonly queues?: QueueConnection;
  readonly dataSource?: DataSource;
  readonly database?: OwnDatabase;
}

/** Stops a test's worker, empties its queue and drops its own database, in that order. */
export async function closeWorkerTestResources(resources: WorkerTestResources): Promise<void> {
  if (resources.worker !== undefined) {
    await resources.worker.get(WorkerRuntime).stop(5_000);
    await resources.worker.close();
  }
  await resources.queue?.obliterate({ force: true }).catch(() => undefined);
  await resources.queues?.close();
  await resources.dataSource?.destroy();
  await resources.database?.drop();
}
