import { createPostgresBackend, Queue, Worker, type JobsOptions, type Processor, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';

import type { MendConfig } from '../config/config.js';
import type { QueueName } from './job-definitions.js';

/**
 * Retries with exponential backoff so a PostgreSQL or Redis outage of seconds
 * never fails a job for good (STACK.md, faults); failed jobs are kept.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  // Completed jobs are kept for a week so that a re-published job id collapses
  // (a removed job is no longer a duplicate); exactly-once rests on PostgreSQL keys.
  removeOnComplete: { age: 7 * 24 * 3600, count: 200_000 },
  removeOnFail: false,
};

/** Builds BullMQ queues and workers on the configured backend (Redis, or PostgreSQL in the demo). */
export class QueueConnection {
  private redis: Redis | undefined;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];

  constructor(private readonly config: MendConfig) {}

  get backend(): MendConfig['queue']['backend'] {
    return this.config.queue.backend;
  }

  /** The shared Redis client (Redis backend only). */
  redisClient(): Redis {
    if (this.config.queue.backend !== 'redis') throw new Error('The demo queue backend has no Redis');
    this.redis ??= createRedisClient(this.config.redis.url);
    return this.redis;
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (queue === undefined) {
      queue =
        this.config.queue.backend === 'redis'
          ? new Queue(name, {
              connection: this.redisClient(),
              prefix: this.config.queue.prefix,
              defaultJobOptions: DEFAULT_JOB_OPTIONS,
            })
          : new Queue(
              name,
              { connection: postgresQueueConnection(this.config), defaultJobOptions: DEFAULT_JOB_OPTIONS } as never,
              postgresBackendFactory() as never,
            );
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  worker(name: QueueName, processor: Processor, options: Partial<WorkerOptions> = {}): Worker {
    const shared = {
      concurrency: 10,
      maxStalledCount: 5,
      lockDuration: 30_000,
      autorun: false,
      ...options,
    };
    let worker: Worker;
    if (this.config.queue.backend === 'redis') {
      const connection = createRedisClient(this.config.redis.url);
      worker = new Worker(name, processor, { ...shared, connection, prefix: this.config.queue.prefix });
      // BullMQ leaves open a client it was given (it closes only the duplicates it makes).
      worker.once('closed', () => connection.disconnect());
    } else {
      worker = new Worker(
        name,
        processor,
        { ...shared, connection: postgresQueueConnection(this.config), drainDelay: 1 } as never,
        postgresBackendFactory() as never,
      );
    }
    this.workers.push(worker);
    return worker;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.workers.map((worker) => worker.close()));
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
    if (this.redis !== undefined) {
      this.redis.disconnect();
      this.redis = undefined;
    }
  }
}

export function createRedisClient(url: string): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 5), 5_000),
    lazyConnect: false,
  });
  // ioredis reconnects by itself; an unhandled 'error' event would crash the process.
  client.on('error', () => undefined);
  return client;
}

function postgresQueueConnection(config: MendConfig): unknown {
  return { connectionString: config.database.url, schema: 'public', max: 4 };
}

function postgresBackendFactory(): unknown {
  return createPostgresBackend;
}
