import type { Database } from '../database/database.js';
import { describeConnectionError } from '../database/database.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import { QUEUE_NAMES, type QueueName } from '../queue/job-definitions.js';
import type { QueueConnection } from '../queue/queue-connection.js';

export interface ComponentHealth {
  readonly status: 'up' | 'down';
  readonly latencyMs?: number;
  readonly error?: string;
}

export interface QueueHealth {
  readonly name: QueueName;
  readonly waiting: number;
  readonly delayed: number;
  readonly active: number;
  readonly failed: number;
  /** Age of the oldest job waiting to run, in seconds (null when none waits). */
  readonly oldestWaitingAgeSeconds: number | null;
}

export interface HealthReport {
  readonly status: 'ok' | 'unavailable';
  readonly checkedAt: string;
  readonly database: ComponentHealth;
  readonly redis: ComponentHealth & { readonly backend: 'redis' | 'postgres' };
  readonly queues: readonly QueueHealth[];
  readonly outbox: { readonly pending: number; readonly oldestPendingAgeSeconds: number | null } | null;
  /** Reminders due but unclaimed (and how late the oldest is), claimed, and failed for good. */
  readonly reminders: {
    readonly due: number;
    readonly oldestDueAgeSeconds: number | null;
    readonly queued: number;
    readonly failed: number;
  } | null;
  /** Names of the failing parts, e.g. ["database"]. */
  readonly failing: readonly string[];
}

const CHECK_TIMEOUT_MS = 2_000;

export class HealthService {
  constructor(
    private readonly database: Database,
    private readonly unitOfWork: UnitOfWork,
    private readonly queues: QueueConnection,
  ) {}

  async check(now: Date = new Date()): Promise<HealthReport> {
    const [database, outbox] = await this.checkDatabase(now);
    const reminders = database.status === 'up' ? await this.checkReminders(now) : null;
    const redis = await this.checkRedis();
    const queueResults = redis.status === 'up' ? await this.checkQueues(now) : [];
    const failing = [
      ...(database.status === 'down' ? ['database'] : []),
      ...(redis.status === 'down' ? [this.queues.backend === 'redis' ? 'redis' : 'queue'] : []),
    ];
    return {
      status: failing.length === 0 ? 'ok' : 'unavailable',
      checkedAt: now.toISOString(),
      database,
      redis,
      queues: queueResults,
      outbox,
      reminders,
      failing,
    };
  }

  private async checkReminders(now: Date): Promise<HealthReport['reminders']> {
    try {
      const rows = await withTimeout(
        this.unitOfWork.runWithoutClinic((tx) =>
          tx.query<{ due: string; oldest_due_at: Date | null; queued: string; failed: string }>(
            'select due, oldest_due_at, queued, failed from reminder_backlog()',
          ),
        ),
      );
      const oldest = rows[0]?.oldest_due_at;
      return {
        due: Number(rows[0]?.due ?? 0),
        oldestDueAgeSeconds: oldest
          ? Math.max(0, Math.round((now.getTime() - new Date(oldest).getTime()) / 1000))
          : null,
        queued: Number(rows[0]?.queued ?? 0),
        failed: Number(rows[0]?.failed ?? 0),
      };
    } catch {
      return null;
    }
  }

  private async checkDatabase(now: Date): Promise<[ComponentHealth, HealthReport['outbox']]> {
    const started = performance.now();
    try {
      this.database.connected();
      const rows = await withTimeout(
        this.unitOfWork.runWithoutClinic((tx) =>
          tx.query<{ pending: string; oldest_created_at: Date | null }>(
            'select pending, oldest_created_at from outbox_backlog()',
          ),
        ),
      );
      const oldest = rows[0]?.oldest_created_at;
      return [
        { status: 'up', latencyMs: Math.round(performance.now() - started) },
        {
          pending: Number(rows[0]?.pending ?? 0),
          oldestPendingAgeSeconds: oldest
            ? Math.max(0, Math.round((now.getTime() - new Date(oldest).getTime()) / 1000))
            : null,
        },
      ];
    } catch (error) {
      return [{ status: 'down', error: describeConnectionError(error) }, null];
    }
  }

  private async checkRedis(): Promise<HealthReport['redis']> {
    const backend = this.queues.backend;
    if (backend !== 'redis') return { status: 'up', backend };
    const started = performance.now();
    try {
      const client = this.queues.redisClient();
      if (client.status !== 'ready') {
        // A client created by this very check is still connecting: give it the check's time budget.
        await withTimeout(new Promise<void>((resolve) => client.once('ready', () => resolve()))).catch(() => {
          throw Object.assign(new Error('not ready'), { code: `redis ${client.status}` });
        });
      }
      await withTimeout(client.ping());
      return { status: 'up', backend, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { status: 'down', backend, error: describeConnectionError(error) };
    }
  }

  private async checkQueues(now: Date): Promise<QueueHealth[]> {
    return Promise.all(
      QUEUE_NAMES.map(async (name) => {
        const queue = this.queues.queue(name);
        const [counts, oldest] = await withTimeout(
          Promise.all([
            queue.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'failed'),
            queue.getJobs(['wait', 'prioritized'], 0, 0, true),
          ]),
        );
        const oldestTimestamp = oldest[0]?.timestamp;
        return {
          name,
          waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
          delayed: counts.delayed ?? 0,
          active: counts.active ?? 0,
          failed: counts.failed ?? 0,
          oldestWaitingAgeSeconds:
            oldestTimestamp === undefined ? null : Math.max(0, Math.round((now.getTime() - oldestTimestamp) / 1000)),
        };
      }),
    );
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'timeout' })), CHECK_TIMEOUT_MS);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
