import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';

import { AuditSealer } from '@mend/audit';
import {
  Database,
  JOB_DEFINITIONS,
  jobHandlerNameOf,
  MEND_CONFIG,
  MEND_LOGGER,
  OutboxRelay,
  QUEUE_CONCURRENCY,
  QUEUE_NAMES,
  QueueConnection,
  UnitOfWork,
  type JobHandlerInstance,
  type MendConfig,
  type QueueName,
} from '@mend/core';
import { ReminderDispatcher } from '@mend/notifications';

import { AuditSealLoop } from './audit/audit-seal-loop.js';
import { describeError } from './describe-error.js';
import { HOMEWORK_OVERDUE_INTERVAL_MS, HomeworkOverdueLoop } from './homework/homework-overdue-loop.js';
import { createJobProcessor } from './jobs/job-dispatcher.js';
import { resolveJobHandlers, type HandlerRegistration } from './jobs/job-handler-registry.js';
import { SupervisedWorker, WORKER_RECONNECT_TIMEOUT_MS } from './queues/supervised-worker.js';
import { assessRedisDurability, readRedisDurability } from './redis/redis-durability.js';
import { ReminderPlanLoop } from './reminders/reminder-plan-loop.js';
import { REPORT_SCHEDULE_INTERVAL_MS, ReportScheduleLoop } from './reports/report-schedule-loop.js';
import { settlesWithin } from './settles-within.js';
import { WorkerStartupError } from './worker-startup.error.js';

export { describeError };

/** The reminder claim loop stops claiming while this many claim batches wait in the queue (backpressure). */
const REMINDER_MAX_WAITING_BATCHES = 2;

export interface WorkerStopResult {
  /** True when active jobs were still running when the grace period ended. */
  readonly timedOut: boolean;
}

/**
 * The worker's moving parts: checks the handler set and Redis, then runs one
 * BullMQ Worker per queue (each under a watchdog), the outbox relay and the
 * periodic audit sealer.
 */
@Injectable()
export class WorkerRuntime {
  private readonly workers = new Map<QueueName, SupervisedWorker<Worker>>();
  private relay: OutboxRelay | undefined;
  private auditSealLoop: AuditSealLoop | undefined;
  private homeworkOverdueLoop: HomeworkOverdueLoop | undefined;
  private reportScheduleLoop: ReportScheduleLoop | undefined;
  private reminderDispatcher: ReminderDispatcher | undefined;
  private reminderPlanLoop: ReminderPlanLoop | undefined;
  private isStopping = false;

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MEND_CONFIG) private readonly config: MendConfig,
    @Inject(MEND_LOGGER) private readonly logger: Logger,
    @Inject(Database) private readonly database: Database,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(QueueConnection) private readonly queues: QueueConnection,
  ) {}

  /** The `@JobHandler` providers of the application. */
  discoverHandlers(): HandlerRegistration<JobHandlerInstance>[] {
    return this.discovery.getProviders().flatMap((wrapper) => {
      const jobName = wrapper.isAlias ? undefined : jobHandlerNameOf(wrapper.metatype);
      if (jobName === undefined) return [];
      return [
        {
          jobName,
          handlerName: (wrapper.metatype as { name: string }).name,
          instance: wrapper.instance as JobHandlerInstance,
        },
      ];
    });
  }

  /**
   * Refuses (a {@link WorkerStartupError}) on a bad handler set or, in
   * production, an unsafe Redis; otherwise waits for PostgreSQL and starts
   * consuming and relaying.
   */
  async start(): Promise<void> {
    const handlers = resolveJobHandlers<JobHandlerInstance>(Object.keys(JOB_DEFINITIONS), this.discoverHandlers());
    if (this.queues.backend === 'redis') await this.checkRedis();
    // Database retries in the background with a one-line message per attempt;
    // starting consumers before it is reachable would only burn job attempts.
    await this.database.whenReady();
    if (this.isStopping) return;

    for (const queueName of QUEUE_NAMES) {
      const processor = createJobProcessor(queueName, handlers);
      const supervised = new SupervisedWorker<Worker>({
        create: () => this.createWorker(queueName, processor),
        reconnectTimeoutMs: this.queues.backend === 'redis' ? WORKER_RECONNECT_TIMEOUT_MS : undefined,
        onReplaced: () =>
          this.logger.warn({ queue: queueName }, 'Queue connection not ready 30 s after closing; worker replaced'),
        onError: (error) =>
          this.logger.warn({ queue: queueName, error: describeError(error) }, 'Worker replacement error'),
      });
      this.workers.set(queueName, supervised);
      supervised.start();
    }

    this.relay = new OutboxRelay(this.unitOfWork, {
      batchSize: this.config.outbox.batchSize,
      pollMs: this.config.outbox.pollMs,
      queue: (name) => this.queues.queue(name),
      onError: (error) =>
        this.logger.error({ error: describeError(error) }, 'Outbox relay pass failed; retrying with backoff'),
    });
    this.relay.start();
    this.auditSealLoop = new AuditSealLoop(this.unitOfWork, new AuditSealer(), {
      intervalMs: this.config.audit.sealIntervalMs,
      logger: this.logger,
    });
    this.auditSealLoop.start();
    this.homeworkOverdueLoop = new HomeworkOverdueLoop(this.unitOfWork, {
      intervalMs: HOMEWORK_OVERDUE_INTERVAL_MS,
      logger: this.logger,
    });
    this.homeworkOverdueLoop.start();
    this.reportScheduleLoop = new ReportScheduleLoop(this.unitOfWork, {
      intervalMs: REPORT_SCHEDULE_INTERVAL_MS,
      logger: this.logger,
    });
    this.reportScheduleLoop.start();
    this.reminderPlanLoop = new ReminderPlanLoop(this.unitOfWork, {
      intervalMs: this.config.reminders.planIntervalMs,
      logger: this.logger,
    });
    this.reminderPlanLoop.start();
    this.reminderDispatcher = new ReminderDispatcher(this.unitOfWork, {
      batchSize: this.config.reminders.batchSize,
      pollMs: this.config.reminders.pollMs,
      leaseSeconds: this.config.reminders.leaseSeconds,
      queue: () => this.queues.queue('reminders'),
      maxWaiting: REMINDER_MAX_WAITING_BATCHES * this.config.reminders.batchSize,
      onError: (error) =>
        this.logger.error({ error: describeError(error) }, 'Reminder claim pass failed; retrying with backoff'),
    });
    this.reminderDispatcher.start();
    this.logger.info(
      { queues: [...QUEUE_NAMES], jobs: Object.keys(JOB_DEFINITIONS).length, backend: this.queues.backend },
      'Worker started',
    );
  }

  /**
   * Stops the relay, then closes every Worker: BullMQ stops fetching and waits
   * for the active jobs, at most `graceMs`. Jobs still running after that are
   * left to stall and run again elsewhere (handlers are idempotent).
   */
  async stop(graceMs: number): Promise<WorkerStopResult> {
    this.isStopping = true;
    await this.relay?.stop();
    await this.auditSealLoop?.stop();
    await this.homeworkOverdueLoop?.stop();
    await this.reportScheduleLoop?.stop();
    await this.reminderPlanLoop?.stop();
    await this.reminderDispatcher?.stop();
    const closed = await settlesWithin(
      Promise.allSettled([...this.workers.values()].map((worker) => worker.close())),
      graceMs,
    );
    return { timedOut: !closed };
  }

  private createWorker(queueName: QueueName, processor: ReturnType<typeof createJobProcessor>): Worker {
    const worker = this.queues.worker(
      queueName,
      processor,
      queueName === 'reminders'
        ? { concurrency: this.config.reminders.concurrency }
        : QUEUE_CONCURRENCY[queueName] === undefined
          ? {}
          : { concurrency: QUEUE_CONCURRENCY[queueName] },
    );
    worker.on('error', (error) =>
      this.logger.error({ queue: queueName, error: describeError(error) }, 'Queue worker error'),
    );
    worker.on('failed', (job, error) => {
      this.logger.warn(
        {
          queue: queueName,
          jobId: job?.id,
          jobName: job?.name,
          attemptsMade: job?.attemptsMade,
          error: describeError(error),
        },
        'Job failed',
      );
    });
    worker.on('stalled', (jobId) => this.logger.warn({ queue: queueName, jobId }, 'Job stalled; it will run again'));
    // run() resolves when the worker closes; its errors are also emitted as 'error'.
    worker
      .run()
      .catch((error: unknown) =>
        this.logger.error({ queue: queueName, error: describeError(error) }, 'Queue worker stopped'),
      );
    return worker;
  }

  private async checkRedis(): Promise<void> {
    const client = this.queues.redisClient();
    const waiting = setInterval(
      () => this.logger.warn({ status: client.status }, 'Redis unreachable; waiting for it'),
      5_000,
    );
    waiting.unref();
    let settings;
    try {
      settings = await readRedisDurability(client);
    } finally {
      clearInterval(waiting);
    }
    const verdict = assessRedisDurability(settings, this.config.isProduction);
    if (verdict.outcome === 'refuse') throw new WorkerStartupError(verdict.message);
    if (verdict.outcome === 'warn') this.logger.warn(verdict.message);
  }
}
