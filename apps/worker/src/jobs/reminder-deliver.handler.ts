import { Inject } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';

import {
  JobHandler,
  MEND_CONFIG,
  MEND_LOGGER,
  UnitOfWork,
  type JobHandlerInstance,
  type MendConfig,
  type MendJob,
} from '@mend/core';
import {
  EmailSender,
  LoggingSmsChannel,
  ReminderDelivery,
  ReminderDeliveryBatcher,
  type DeliveryOutcome,
  type PushChannel,
} from '@mend/notifications';

import { describeError } from '../describe-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The push channels the configuration provides: email when SMTP_URL is set; SMS through the logging adapter. */
export function pushChannels(config: MendConfig, logger: Logger): Partial<Record<'email' | 'sms', PushChannel>> {
  return {
    ...(config.smtp.url === undefined
      ? {}
      : { email: new EmailSender({ smtpUrl: config.smtp.url, from: config.smtp.from, publicUrl: config.publicUrl }) }),
    sms: new LoggingSmsChannel(logger.child({ component: 'sms' })),
  };
}

/** How long a delivery waits for others to share its transaction (the batch is also cut at the concurrency). */
const BATCH_WAIT_MS = 5;

/**
 * Delivers one reminder (see ReminderDelivery): exactly once per channel, the
 * deliveries row being the proof. The jobs running at the same time share a
 * transaction (ReminderDeliveryBatcher: up to REMINDER_CONCURRENCY at once). A failure is retried with exponential
 * backoff (the queue's attempts); on the last attempt the reminder becomes
 * `failed`, listed for the clinic's admins, who may retry it.
 */
@JobHandler('reminder.deliver')
export class ReminderDeliverHandler implements JobHandlerInstance {
  private readonly delivery: ReminderDelivery;
  private readonly batcher: ReminderDeliveryBatcher;

  constructor(
    @Inject(UnitOfWork) unitOfWork: UnitOfWork,
    @Inject(MEND_CONFIG) config: MendConfig,
    @Inject(MEND_LOGGER) private readonly logger: Logger,
  ) {
    this.delivery = new ReminderDelivery({ unitOfWork, push: pushChannels(config, logger) });
    this.batcher = new ReminderDeliveryBatcher(this.delivery, {
      maxBatch: config.reminders.concurrency,
      maxWaitMs: BATCH_WAIT_MS,
    });
  }

  async handle(job: MendJob): Promise<DeliveryOutcome> {
    const reminderId = job.data.reminderId;
    if (typeof reminderId !== 'string' || !UUID.test(reminderId)) {
      throw new UnrecoverableError('reminder.deliver names its reminderId');
    }
    try {
      return await this.batcher.deliver(job.data.clinicId, reminderId);
    } catch (error) {
      const isFinal = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const described = describeError(error);
      await this.delivery
        .recordFailure(job.data.clinicId, reminderId, job.id, described.code ?? described.name, isFinal)
        .catch((recordError: unknown) =>
          this.logger.warn({ reminderId, error: describeError(recordError) }, 'Recording a reminder failure failed'),
        );
      throw error;
    }
  }
}
